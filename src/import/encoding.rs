//! Repairing text that was decoded with the wrong encoding and saved again.

/// Repairs UTF-8 that was read as Mac Roman or Windows-1252 and saved again
/// (`‚úÖ` → `✅`): each run of non-ASCII characters is encoded back with the
/// wrong encoding and kept when the bytes are valid UTF-8. Returns the text and
/// how many characters changed.
pub fn repair_encoding(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, repaired: &mut usize| {
        if run.is_empty() {
            return;
        }
        let mut fixed = None;
        for enc in [encoding_rs::MACINTOSH, encoding_rs::WINDOWS_1252] {
            let (bytes, _, errors) = enc.encode(run);
            if errors {
                continue;
            }
            if let Ok(s) = std::str::from_utf8(&bytes)
                && s != run.as_str()
                && s.chars().count() < run.chars().count()
            {
                fixed = Some(s.to_string());
                break;
            }
        }
        match fixed {
            Some(f) => {
                *repaired += run.chars().count();
                out.push_str(&f);
            }
            None => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii() {
            flush(&mut run, &mut out, &mut repaired);
            out.push(c);
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out, &mut repaired);
    (out, repaired)
}
