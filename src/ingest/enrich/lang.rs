//! Language: a declared code normalised to ISO 639-1, else detected from the text (whatlang).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

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

/// Function words of the Latin-script languages news archives hold most: prose in any of them is
/// full of these, tables and lists of figures are not.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "said", "with", "was",
            "it", "as", "by", "at", "from", "he", "has", "be", "are", "have", "its", "an", "will",
            "this",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "de", "des", "du", "et", "est", "une", "un", "que", "qui", "dans",
            "pour", "pas", "sur", "au", "aux", "par", "il", "elle", "avec", "ce", "été",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "den", "dem", "des", "zu",
            "mit", "auf", "für", "von", "im", "sich", "auch", "es", "wie", "bei",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "de", "del", "y", "en", "que", "un", "una", "por", "con",
            "para", "es", "se", "al", "lo", "su", "como", "más",
        ],
    ),
    (
        "pt",
        &[
            "o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "em", "que", "um", "uma",
            "para", "com", "por", "não", "se", "no", "na", "ao",
        ],
    ),
    (
        "it",
        &[
            "il", "la", "le", "di", "del", "della", "e", "che", "un", "una", "per", "con", "non",
            "sono", "è", "in", "da", "al", "si", "gli",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "met", "voor", "niet",
            "zijn", "ook", "aan", "er",
        ],
    ),
];

/// Each function word with the languages (bits, in [`FUNCTION_WORDS`] order) it belongs to: one
/// lookup a word instead of a scan of every list.
static FUNCTION_WORD_LANGUAGES: LazyLock<FxHashMap<&'static str, u8>> = LazyLock::new(|| {
    let mut map = FxHashMap::default();
    for (k, (_, words)) in FUNCTION_WORDS.iter().enumerate() {
        for word in *words {
            *map.entry(*word).or_insert(0) |= 1 << k;
        }
    }
    map
});

/// Words the function-word stage looks at.
const WORD_WINDOW: usize = 60;

/// Words looked at before the trigram model's answer is refused for want of its function words.
const WIDE_WORD_WINDOW: usize = 400;

/// Detects the language of an article; `None` when the text is too short (under 20 words),
/// mixed or tabular to tell. Prose in the languages of `FUNCTION_WORDS` (most of any news archive) is recognised by
/// those words, which costs a fraction of a trigram model and, unlike one, is not fooled by a
/// table of figures and abbreviations ("Shr 1.24 dlrs vs 1.16 dlrs" is not French). Other prose
/// goes to whatlang, whose answer, when it names one of those languages other than English,
/// must be backed by two of that language's function words.
pub fn detect(title: &str, body: &str) -> Option<String> {
    let window = Window::read(body, WORD_WINDOW);
    if let Some(code) = window.by_function_words() {
        return Some(code.to_string());
    }
    // A headline or a line of figures is too little to tell from, and a trigram model costs
    // a fifth of a millisecond an article: only prose goes to it.
    if !window.is_prose() || window.is_tabular() {
        return None;
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
    let code = short_code(info.lang());
    // Prose in a language of FUNCTION_WORDS holds some of its function words; English wire
    // tables whose figures are spelled out ("Shr loss three cts vs profit 12 cts") do not, and
    // the trigram model took 19 such Reuters tables for French and 6 for Portuguese. An article
    // that opens with a table (election results) has its prose further on. English answers
    // stand: short English posts ("thanks, anyone know where i could find ascii pics?") hold
    // few of its function words, and a table taken for English was English anyway.
    let few = |w: &Window, k: usize| w.hits[k] < 2;
    let listed = FUNCTION_WORDS
        .iter()
        .position(|(listed, _)| *listed == code && *listed != "en");
    if listed.is_some_and(|k| few(&window, k) && few(&Window::read(body, WIDE_WORD_WINDOW), k)) {
        return None;
    }
    Some(code)
}

/// What the first words of a text say about its language.
struct Window {
    /// Words (runs of letters) seen.
    words: usize,
    /// Whitespace-separated items holding a digit, and all items.
    numeric_items: usize,
    items: usize,
    /// Function words seen, per language of [`FUNCTION_WORDS`].
    hits: [usize; FUNCTION_WORDS.len()],
}

impl Window {
    /// The first `items` whitespace-separated items of `text`.
    fn read(text: &str, items: usize) -> Window {
        let mut window = Window {
            words: 0,
            numeric_items: 0,
            items: 0,
            hits: [0; FUNCTION_WORDS.len()],
        };
        let mut lower = String::new();
        for item in text.split_whitespace().take(items) {
            window.items += 1;
            window.numeric_items += usize::from(item.bytes().any(|b| b.is_ascii_digit()));
            for word in item
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
            {
                window.words += 1;
                if word.len() > 6 {
                    continue;
                }
                lower.clear();
                if word.is_ascii() {
                    lower.push_str(word);
                    lower.make_ascii_lowercase();
                } else {
                    lower.extend(word.chars().flat_map(char::to_lowercase));
                }
                let Some(&languages) = FUNCTION_WORD_LANGUAGES.get(lower.as_str()) else {
                    continue;
                };
                for (k, hits) in window.hits.iter_mut().enumerate() {
                    *hits += usize::from(languages & (1 << k) != 0);
                }
            }
        }
        window
    }

    /// The language whose function words make up at least a fifth of the words (three or more
    /// of them; dense wire copy runs close to that), and more of them than any other language's.
    fn by_function_words(&self) -> Option<&'static str> {
        let (best, &hits) = self.hits.iter().enumerate().max_by_key(|&(_, h)| *h)?;
        let unique = self.hits.iter().filter(|&&h| h == hits).count() == 1;
        (unique && self.words >= 8 && hits >= 3 && hits * 5 >= self.words)
            .then(|| FUNCTION_WORDS[best].0)
    }

    /// Enough words to be prose rather than a headline or a line of figures.
    fn is_prose(&self) -> bool {
        self.words >= 20
    }

    /// Figures and abbreviations rather than prose: a fifth of the items hold digits.
    fn is_tabular(&self) -> bool {
        self.items > 0 && self.numeric_items * 5 >= self.items
    }
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

    #[test]
    fn prose_in_other_languages_is_recognised_by_function_words() {
        let fr = "Les dockers ont voté mardi pour prolonger la grève d'une semaine, a indiqué le syndicat. Les armateurs parlent de pertes importantes et demandent une médiation par le ministère.";
        assert_eq!(detect("Grève", fr).as_deref(), Some("fr"));
        let pt = "Os trabalhadores do porto votaram na terça-feira para prolongar a greve por mais uma semana, disseram os sindicatos. Os armadores falam de perdas e pedem uma mediação do ministério.";
        assert_eq!(detect("Greve", pt).as_deref(), Some("pt"));
        let it = "I portuali hanno votato martedì per prolungare lo sciopero di un'altra settimana, ha detto il sindacato. Gli armatori parlano di perdite e chiedono una mediazione del ministero.";
        assert_eq!(detect("Sciopero", it).as_deref(), Some("it"));
        let ru = "Портовые рабочие во вторник проголосовали за продление забастовки ещё на неделю, сообщили в профсоюзе. Судовладельцы говорят о больших потерях и просят министерство выступить посредником в переговорах.";
        assert_eq!(detect("Забастовка", ru).as_deref(), Some("ru"));
    }

    #[test]
    fn tables_of_figures_have_no_language() {
        let table = "Shr 1.24 dlrs vs 1.16 dlrs Net 12.3 mln vs 11.1 mln Revs 401.2 mln vs 377.0 mln Nine mths Shr 3.50 dlrs vs 3.11 dlrs";
        assert_eq!(detect("MARINE CORP 3RD QTR NET", table), None);
        // Figures spelled out: not a table by its digits, and no prose either.
        let spelled =
            "Shr Class A loss four cts vs profit 15 cts\n    Shr Class B loss six cts vs \
            profit nine cts\n    Net loss 81,450 vs profit 230,118\n    Sales 702,930 vs \
            1,411,207\n    Nine mths\n    Shr Class A profit two cts vs profit 41 cts\n    Shr \
            Class B loss five cts vs profit 33 cts\n    Net profit 58,301 vs profit 918,774\n    \
            Sales 2,104,662 vs 4,002,519\n    NOTE: Full name is Vellmark Industries Inc";
        assert_eq!(detect("VELLMARK INDUSTRIES 3RD QTR LOSS", spelled), None);
    }
}
