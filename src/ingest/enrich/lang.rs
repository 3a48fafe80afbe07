//! Language: a declared code normalised to ISO 639-1, else detected from the text (whatlang).

/// How much text detection looks at: enough to be reliable, little enough to stay cheap.
const SAMPLE_BYTES: usize = 400;

/// Normalises a declared language (`en-US`, `EN`, `en_GB`, `eng`, `English`) to a short code.
pub fn normalise_code(declared: &str) -> Option<String> {
    let primary = declared
        .trim()
        .split(['-', '_', ' ', ',', ';'])
        .next()?
        .to_ascii_lowercase();
    match primary.len() {
        2 if primary.bytes().all(|b| b.is_ascii_lowercase()) => Some(primary),
        3 => Some(iso639_1(&primary).unwrap_or(&primary).to_string()),
        _ => whatlang::Lang::from_code(name_to_code(&primary)?).map(short_code),
    }
}

/// English function words: news prose is full of them, other languages' prose is not.
const ENGLISH_MARKERS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "said", "with", "was", "it",
    "as", "by", "at", "from", "he", "has", "be", "are", "have", "its", "an", "will", "this",
];

/// Words the English fast path looks at.
const MARKER_WINDOW: usize = 60;

/// Detects the language of an article; `None` when the text is too short or mixed to tell.
/// English (most of any news archive) is recognised by its function words, which costs a
/// fraction of a trigram model; anything else goes to whatlang.
pub fn detect(title: &str, body: &str) -> Option<String> {
    if looks_english(body) {
        return Some("en".to_string());
    }
    let mut sample = String::with_capacity(SAMPLE_BYTES + title.len());
    sample.push_str(title);
    sample.push('\n');
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    sample.push_str(&body[..end]);
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    Some(short_code(info.lang()))
}

/// True when at least a quarter of the first words are English function words.
fn looks_english(text: &str) -> bool {
    let mut words = 0;
    let mut markers = 0;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(MARKER_WINDOW)
    {
        words += 1;
        if word.len() <= 4 && ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(word)) {
            markers += 1;
        }
    }
    words >= 20 && markers * 4 >= words
}

fn short_code(lang: whatlang::Lang) -> String {
    let code = lang.code();
    iso639_1(code).unwrap_or(code).to_string()
}

fn name_to_code(name: &str) -> Option<&'static str> {
    Some(match name {
        "english" => "eng",
        "french" | "francais" => "fra",
        "german" | "deutsch" => "deu",
        "spanish" | "espanol" => "spa",
        "portuguese" => "por",
        "italian" => "ita",
        "dutch" => "nld",
        "russian" => "rus",
        _ => return None,
    })
}

fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "eng" => "en",
        "fra" | "fre" => "fr",
        "deu" | "ger" => "de",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "nld" | "dut" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "pol" => "pl",
        "ces" | "cze" => "cs",
        "slk" => "sk",
        "hun" => "hu",
        "ron" => "ro",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "slv" => "sl",
        "ell" | "gre" => "el",
        "tur" => "tr",
        "swe" => "sv",
        "dan" => "da",
        "nob" | "nor" => "no",
        "fin" => "fi",
        "est" => "et",
        "lav" => "lv",
        "lit" => "lt",
        "ara" => "ar",
        "heb" => "he",
        "pes" | "fas" => "fa",
        "hin" => "hi",
        "ben" => "bn",
        "urd" => "ur",
        "tam" => "ta",
        "tel" => "te",
        "mar" => "mr",
        "cmn" | "zho" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "vie" => "vi",
        "tha" => "th",
        "ind" => "id",
        "msa" | "zlm" => "ms",
        "tgl" => "tl",
        "swh" | "swa" => "sw",
        "afr" => "af",
        "cat" => "ca",
        "epo" => "eo",
        "lat" => "la",
        "aze" => "az",
        "kat" => "ka",
        "hye" => "hy",
        "bel" => "be",
        "mkd" => "mk",
        "yid" => "yi",
        "amh" => "am",
        "jav" => "jv",
        "kan" => "kn",
        "mal" => "ml",
        "guj" => "gu",
        "pan" => "pa",
        "ori" => "or",
        "sin" => "si",
        "mya" => "my",
        "khm" => "km",
        "nep" => "ne",
        "uzb" => "uz",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "yor" => "yo",
        "ibo" => "ig",
        "hau" => "ha",
        "som" => "so",
        "orm" => "om",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_codes_are_normalised() {
        assert_eq!(normalise_code("en-US").as_deref(), Some("en"));
        assert_eq!(normalise_code("EN").as_deref(), Some("en"));
        assert_eq!(normalise_code("deu").as_deref(), Some("de"));
        assert_eq!(normalise_code("English").as_deref(), Some("en"));
        assert_eq!(normalise_code("").as_deref(), None);
    }

    #[test]
    fn english_and_spanish_are_detected() {
        let en = "The port workers voted on Tuesday to extend the strike for another week, union leaders said.";
        assert_eq!(detect("Strike extended", en).as_deref(), Some("en"));
        let de = "Die Hafenarbeiter haben am Dienstag beschlossen, den Streik um eine weitere Woche zu verlängern, wie die Gewerkschaft mitteilte. Die Reeder sprechen von hohen Verlusten und fordern eine Schlichtung durch das Ministerium.";
        assert_eq!(detect("Streik", de).as_deref(), Some("de"));
        let es = "Los trabajadores del puerto votaron el martes para extender la huelga otra semana, dijeron los sindicatos.";
        assert_eq!(detect("Huelga", es).as_deref(), Some("es"));
    }
}
