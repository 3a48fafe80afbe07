//! The query language: parses what users type into a [`Node`] tree, which the query executor
//! turns into a tantivy query. Pure: no tantivy, no I/O, no clock (`now` comes in
//! [`ParseOptions`]); it never panics, whatever the input.
//!
//! # Syntax
//!
//! | you type                                   | it means                                                 |
//! |--------------------------------------------|----------------------------------------------------------|
//! | `general strike`                           | both words (every word is required by default)           |
//! | `strike OR lockout`                        | either word                                              |
//! | `strike AND lockout`                       | both words, the same as a space                          |
//! | `-football`, `NOT football`                | articles without the word                                |
//! | `-"world cup"`, `-(messi OR ronaldo)`      | without the phrase, without either word                  |
//! | `+bukele`                                  | the word is required, even with `--any`                  |
//! | `bukele AND (prison OR cecot) -football`   | parentheses group clauses                                |
//! | `"exact phrase"`                           | the words next to each other, in order                   |
//! | `"prison bukele"~3`                        | the words at most 3 positions apart (phrase slop)        |
//! | `bukel~1`, `bukel~2`, `bukel~`             | fuzzy: up to 1 or 2 edits (a bare `~` is 2)              |
//! | `bukel*`                                   | prefix: words starting with `bukel` (2 characters at least) |
//! | `title:strike`                             | the word in one field                                    |
//! | `title:"general strike"`                   | the phrase in one field                                  |
//! | `title:(strike OR lockout)`                | the scope applies to every word of the group             |
//! | `source:reuters`                           | any word of the source is `reuters`                      |
//! | `source:"Associated Press"`                | the whole source is `Associated Press`                   |
//! | `date:2025`, `date:2025-03`, `date:2025-03-16` | published in that UTC year, month or day             |
//! | `date:[2025-03-01 TO 2025-03-31]`          | an inclusive range; `{…}` excludes an end, `*` leaves it open |
//! | `date:>=2025-03-01`, `date:>2025`, `date:<=2025-06`, `date:<2025` | open-ended ranges   |
//! | `date:7d`, `date:>=6m`                     | in the last 7 days, in the last 6 months                 |
//!
//! Fields: `title`, `body`, `source`, `author`, `tag`, `lang`, `url`, `id`, `person`, `org`,
//! `place`, `entity` (see [`Scope`]) and `date`; their names are case-insensitive. Dates take
//! every form of [`dates::parse_bound`] — years, months, days,
//! RFC 3339 instants and `7d`/`3w`/`6m`/`1y` — on either end of a range, and mixed brackets
//! (`[2025 TO 2026}`) work as in Lucene.
//!
//! The grammar, loosest binding first:
//!
//! ```text
//! query       = sequence
//! sequence    = disjunction { [ "AND" ] disjunction }
//! disjunction = unary { "OR" unary }
//! unary       = [ "-" | "+" | "NOT" ] primary
//! primary     = [ field ":" ] ( word | phrase | "(" sequence ")" ) | "date:" date
//! ```
//!
//! # Decisions
//!
//! - **`OR` binds tighter than `AND`**, as in Google: `a b OR c` is `a AND (b OR c)`, and
//!   `strike OR lockout miners` finds miners' strikes and miners' lockouts. Implicit and
//!   explicit `AND` are the same operator. `-`, `+` and `NOT` bind tightest of all, so
//!   `a OR b -c` is `(a OR b) AND NOT c`.
//! - Operators are uppercase only: `or`, `and` and `not` are words. A word glued to `-`/`+` or
//!   to a field is never an operator (`-AND`, `title:OR`).
//! - **`any` mode** (`--any`) makes the clauses joined by a space optional, ranked by BM25: at
//!   least one of them must match. Clauses marked `+` or joined by an explicit `AND` stay
//!   required, and then (as in Lucene) the optional ones only add to the score. Filters —
//!   `date:` clauses and words, phrases or groups scoped to a field other than `title`/`body` —
//!   stay required, and do not turn the words into mere score boosts:
//!   `--any source:ap strike lockout` is `source:ap AND (strike OR lockout)`.
//! - A field scope applies to the next word, phrase or parenthesised group only; inside a
//!   scoped group, a word with its own field keeps it (`title:(a body:b)`).
//! - A quoted value on `source`, `author`, `tag`, `person`, `org`, `place` or `entity` means the
//!   whole value ([`Node::Phrase::whole_value`]); a bare word, any word of it.
//! - **Colons.** `name:value` with a known field name is a scope. With an unknown name made of
//!   letters and followed by a value it is an error (`foo:bar`), because a typo in a field name
//!   should not silently search for words. Everything else is an ordinary word, kept as typed:
//!   `10:30`, `https://example.com` (the value starts with `/`), `Breaking:` (nothing follows).
//!   A field value runs to the next space or parenthesis, colons included
//!   (`url:https://example.com/a`).
//! - Words are kept as typed — case, accents, inner punctuation (`covid-19`, `10:30`, `C++`).
//!   Splitting them into tokens is the executor's job (a word that analyses into several tokens
//!   is best searched as a phrase; one that analyses into none matches nothing).
//! - Phrases may also be written with typographic quotes (`“…”`, `„…“`); any of `"`, `“`, `”`,
//!   `„` closes a phrase. There are no escapes. An empty phrase or group (`""`, `()`) is dropped.
//! - `*` only ends a word, after at least 2 characters; a word cannot be both prefix and fuzzy.
//!   `~` followed by digits ends a word (fuzzy); elsewhere it is part of the word (`x/~user`).
//! - Exclusions: a query needs at least one positive clause — a word, a phrase, a field filter
//!   or a date — so `-football` alone is an error, while `date:2025 -football` and
//!   `source:reuters -football` are fine. A group that only excludes excludes from the enclosing
//!   clause (`a (-b -c)` is `a -b -c`; `title:(-a -b)` is `-title:a -title:b`). An `OR`
//!   alternative cannot be an exclusion (`a OR -b` is an error: write `(a OR b) -c`), nor can
//!   `-`/`NOT` apply to a group that only excludes. A `+` inside an `OR` changes nothing.
//! - A `-` or `+` followed by a space is an error rather than a silent word (`a - b`).
//! - `date:7d` (a relative date without a comparison) means "since then": the last 7 days.
//!   Other bare dates mean their whole period. Several `date:` clauses combine like any other
//!   clauses (`date:2024 OR date:2026` works); they are not merged.
//! - Parentheses nest at most [`MAX_DEPTH`] deep.
//!
//! # Errors
//!
//! The first problem found is reported as a [`QueryError`] with a 1-based column counted in
//! characters: lexical problems (quotes, brackets, fields, dates, `*`, `~`) first, from left to
//! right, then structural ones. Messages include `unclosed quote`, `unclosed parenthesis`,
//! `unexpected ')'`, `unknown field "foo" (known: …)`, `bad date "2025-13": month out of range`,
//! `empty query`, `AND needs a term on each side` and `a query needs at least one positive term`.
//!
//! # The tree
//!
//! [`parse`] returns a normalised tree: nested [`Node::Bool`]s with the same meaning are
//! flattened (`(a b) c` is one conjunction, `a OR (b OR c)` one disjunction, `-(a OR b)` is
//! `-a -b`), a group of one clause is that clause, and empty groups are gone.
//!
//! ```
//! use newsdex::search::syntax::{parse, Node, Occur, ParseOptions, TermKind};
//!
//! let options = ParseOptions { any: false, now: 1_795_737_600 };
//! let word = |text: &str| Node::Term { scope: None, text: text.to_string(), kind: TermKind::Plain };
//! let tree = parse("bukele AND (prison OR cecot) -football", &options).unwrap();
//! assert_eq!(
//!     tree,
//!     Node::Bool(vec![
//!         (Occur::Must, word("bukele")),
//!         (Occur::Must, Node::Bool(vec![(Occur::Should, word("prison")), (Occur::Should, word("cecot"))])),
//!         (Occur::MustNot, word("football")),
//!     ])
//! );
//! let error = parse("a AND (b", &options).unwrap_err();
//! assert_eq!((error.column, error.message.as_str()), (7, "unclosed parenthesis"));
//! ```

use super::dates;

/// The deepest nesting of parentheses [`parse`] accepts.
pub const MAX_DEPTH: usize = 64;

/// The field names users can type, for error messages.
const KNOWN_FIELDS: &str =
    "title, body, source, author, tag, lang, url, id, person, org, place, entity, date";

/// How a clause takes part in its [`Node::Bool`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Occur {
    /// The clause must match.
    Must,
    /// The clause may match; see [`Node::Bool`] for when one of them must.
    Should,
    /// The clause must not match.
    MustNot,
}

/// The field a word or phrase is searched in (`title:strike`). Unscoped words search the
/// default fields, which is the executor's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `title:` — the headline.
    Title,
    /// `body:` — the article text.
    Body,
    /// `source:` — the publication.
    Source,
    /// `author:` — the byline.
    Author,
    /// `tag:` — tags and categories from the source file.
    Tag,
    /// `lang:` — the language code.
    Lang,
    /// `url:` — the article URL.
    Url,
    /// `id:` — the article id.
    Id,
    /// `person:` — a person mentioned.
    Person,
    /// `org:` — an organisation mentioned.
    Org,
    /// `place:` — a place mentioned.
    Place,
    /// `entity:` — any named entity mentioned.
    Entity,
}

impl Scope {
    /// Every scope, in the order error messages list them.
    pub const ALL: [Scope; 12] = [
        Scope::Title,
        Scope::Body,
        Scope::Source,
        Scope::Author,
        Scope::Tag,
        Scope::Lang,
        Scope::Url,
        Scope::Id,
        Scope::Person,
        Scope::Org,
        Scope::Place,
        Scope::Entity,
    ];

    /// The name users type before the colon: `title` for `title:`.
    pub const fn name(self) -> &'static str {
        match self {
            Scope::Title => "title",
            Scope::Body => "body",
            Scope::Source => "source",
            Scope::Author => "author",
            Scope::Tag => "tag",
            Scope::Lang => "lang",
            Scope::Url => "url",
            Scope::Id => "id",
            Scope::Person => "person",
            Scope::Org => "org",
            Scope::Place => "place",
            Scope::Entity => "entity",
        }
    }

    /// The scope a field name stands for, ignoring ASCII case. `None` for unknown names and for
    /// `date`, which is not a scope but a [`Node::Date`] clause.
    pub fn from_name(name: &str) -> Option<Scope> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.name().eq_ignore_ascii_case(name))
    }

    /// Whether a quoted value on this field means its whole value
    /// ([`Node::Phrase::whole_value`]): source, author, tag, person, org, place, entity.
    pub const fn is_keyword(self) -> bool {
        matches!(
            self,
            Scope::Source
                | Scope::Author
                | Scope::Tag
                | Scope::Person
                | Scope::Org
                | Scope::Place
                | Scope::Entity
        )
    }

    /// Whether this is one of the article's texts (title, body) rather than metadata; clauses on
    /// metadata are filters, which `any` mode keeps required.
    pub const fn is_text(self) -> bool {
        matches!(self, Scope::Title | Scope::Body)
    }
}

/// How a [`Node::Term`] matches words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// The word itself (after the executor's analysis).
    Plain,
    /// Words starting with the text (`bukel*`; the text excludes the `*`).
    Prefix,
    /// Words within this many edits, 1 or 2 (`bukel~1`).
    Fuzzy(u8),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Clauses combined with Lucene semantics: every `Must` clause must match and no `MustNot`
    /// clause may; if there is no `Must` clause at least one `Should` clause must match,
    /// otherwise `Should` clauses only add to the score. A `Bool` from [`parse`] always has at
    /// least one `Must` or `Should` clause, and at least two clauses unless its only clause is a
    /// `MustNot` one.
    Bool(Vec<(Occur, Node)>),
    /// A word.
    Term {
        /// The field, if the word was scoped.
        scope: Option<Scope>,
        /// The word as typed (not lower-cased), without any `*` or `~N` suffix.
        text: String,
        /// Plain, prefix or fuzzy.
        kind: TermKind,
    },
    /// A quoted phrase.
    Phrase {
        /// The field, if the phrase was scoped.
        scope: Option<Scope>,
        /// The text between the quotes as typed, trimmed; never empty.
        text: String,
        /// How far apart the words may be (`"…"~3`); 0 means adjacent.
        slop: u32,
        /// The phrase is the quoted value of a keyword field ([`Scope::is_keyword`]) and means
        /// the whole value (`source:"Associated Press"`), not words within it.
        whole_value: bool,
    },
    /// A `date:` clause.
    Date(DateRange),
}

/// The publication dates a `date:` clause accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// The earliest accepted instant, inclusive, in Unix seconds (UTC); `None` for no bound.
    pub since: Option<i64>,
    /// The latest accepted instant, inclusive, in Unix seconds (UTC); `None` for no bound.
    pub until: Option<i64>,
}

/// Why a query does not parse. The CLI prints it as `query:1:{column}: {message}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct QueryError {
    /// Where the problem is: a 1-based column counted in characters (not bytes).
    pub column: usize,
    /// What the problem is, lowercase, e.g. `unclosed quote`.
    pub message: String,
}

/// What [`parse`] needs besides the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// `--any`: clauses joined by a space are optional instead of required (see the module docs).
    pub any: bool,
    /// Now, in Unix seconds, for relative dates such as `date:7d`.
    pub now: i64,
}

/// Parses a query into a normalised tree.
///
/// # Errors
///
/// The first problem in the query, with its column; see the module docs.
pub fn parse(query: &str, options: &ParseOptions) -> Result<Node, QueryError> {
    let tokens = Lexer::new(query, options.now).run()?;
    let has_parens = tokens
        .iter()
        .any(|token| matches!(token.tok, Tok::Open | Tok::Close));
    if !has_parens && !tokens.iter().any(Token::is_term) {
        return Err(error(1, "empty query"));
    }
    let mut parser = Parser {
        tokens: &tokens,
        pos: 0,
        any: options.any,
    };
    let node = parser.sequence(0, None)?;
    if let Some(token) = parser.peek() {
        // The only token a top-level sequence stops at.
        return Err(error(token.col, "unexpected ')'"));
    }
    let node = node.ok_or_else(|| error(1, "empty query"))?;
    if is_negative_only(&node) {
        let column = tokens.first().map_or(1, |token| token.col);
        return Err(error(column, "a query needs at least one positive term"));
    }
    Ok(node)
}

/// The words and phrases of a query that are not excluded, left to right, whatever their
/// scope (the highlighter keeps those it can show). Leaves under a `MustNot` are left out.
pub fn positive_terms(node: &Node) -> Vec<&Node> {
    let mut terms = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node {
            Node::Bool(clauses) => stack.extend(
                clauses
                    .iter()
                    .rev()
                    .filter(|(occur, _)| *occur != Occur::MustNot)
                    .map(|(_, child)| child),
            ),
            Node::Term { .. } | Node::Phrase { .. } => terms.push(node),
            Node::Date(_) => {}
        }
    }
    terms
}

/// A [`QueryError`] at a column.
fn error(column: usize, message: impl Into<String>) -> QueryError {
    QueryError {
        column,
        message: message.into(),
    }
}

/// Whether a character opens or closes a phrase.
fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// A token of the query language.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `AND`.
    And,
    /// `OR`.
    Or,
    /// `NOT`.
    Not,
    /// `-` at the start of a token; `attached` if something other than space or `)` follows.
    Minus { attached: bool },
    /// `+` at the start of a token; `attached` as for `Minus`.
    Plus { attached: bool },
    /// `title:` and the like; the lexer guarantees a word, phrase or `(` follows.
    Field(Scope),
    /// A word, its suffix (`*`, `~N`) already interpreted.
    Word { text: String, kind: TermKind },
    /// A quoted phrase and its slop.
    Phrase { text: String, slop: u32 },
    /// A whole `date:` clause, resolved.
    Date(DateRange),
}

/// A token and the 1-based column it starts at.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    /// What it is.
    tok: Tok,
    /// Where it starts.
    col: usize,
}

impl Token {
    /// Whether the token is something to search for, as opposed to an operator or parenthesis.
    fn is_term(&self) -> bool {
        matches!(
            self.tok,
            Tok::Field(_) | Tok::Word { .. } | Tok::Phrase { .. } | Tok::Date(_)
        )
    }

    /// Whether a primary (word, phrase, date, field or group) starts with the token.
    fn starts_primary(&self) -> bool {
        self.is_term() || self.tok == Tok::Open
    }

    /// Whether a unary clause (a primary, possibly after `-`, `+` or `NOT`) starts with it.
    fn starts_unary(&self) -> bool {
        self.starts_primary() || matches!(self.tok, Tok::Minus { .. } | Tok::Plus { .. } | Tok::Not)
    }
}

/// Splits a query into tokens, interpreting word suffixes, fields and dates on the way.
struct Lexer {
    /// The query.
    chars: Vec<char>,
    /// The index of the next character to read.
    pos: usize,
    /// Now, for relative dates.
    now: i64,
    /// The tokens so far.
    tokens: Vec<Token>,
    /// The next token is glued to a `-` or `+`, so it is never an operator.
    glued: bool,
}

impl Lexer {
    /// A lexer at the start of the query.
    fn new(query: &str, now: i64) -> Lexer {
        Lexer {
            chars: query.chars().collect(),
            pos: 0,
            now,
            tokens: Vec::new(),
            glued: false,
        }
    }

    /// Adds a token.
    fn push(&mut self, tok: Tok, col: usize) {
        self.tokens.push(Token { tok, col });
    }

    /// All the tokens, or the first lexical error.
    fn run(mut self) -> Result<Vec<Token>, QueryError> {
        while let Some(&c) = self.chars.get(self.pos) {
            let glued = std::mem::take(&mut self.glued);
            let col = self.pos + 1;
            match c {
                c if c.is_whitespace() => self.pos += 1,
                '(' => {
                    self.push(Tok::Open, col);
                    self.pos += 1;
                }
                ')' => {
                    self.push(Tok::Close, col);
                    self.pos += 1;
                }
                c if is_quote(c) => self.phrase()?,
                '-' | '+' => {
                    let attached = self
                        .chars
                        .get(self.pos + 1)
                        .is_some_and(|&next| !next.is_whitespace() && next != ')');
                    let tok = if c == '-' {
                        Tok::Minus { attached }
                    } else {
                        Tok::Plus { attached }
                    };
                    self.push(tok, col);
                    self.pos += 1;
                    self.glued = true;
                }
                _ => self.word(glued)?,
            }
        }
        Ok(self.tokens)
    }

    /// Where the word starting at `start` ends: at a space, parenthesis or quote.
    fn word_end(&self, start: usize) -> usize {
        let length = self.chars[start..]
            .iter()
            .position(|&c| c.is_whitespace() || c == '(' || c == ')' || is_quote(c))
            .unwrap_or(self.chars.len() - start);
        start + length
    }

    /// A word: an operator, a field and maybe its value, a `date:` clause or a plain word.
    fn word(&mut self, glued: bool) -> Result<(), QueryError> {
        let start = self.pos;
        let end = self.word_end(start);
        self.pos = end;
        let col = start + 1;
        let word = &self.chars[start..end];
        if !glued {
            let operator = match word {
                ['A', 'N', 'D'] => Some(Tok::And),
                ['O', 'R'] => Some(Tok::Or),
                ['N', 'O', 'T'] => Some(Tok::Not),
                _ => None,
            };
            if let Some(operator) = operator {
                self.push(operator, col);
                return Ok(());
            }
        }
        if let Some(colon) = word.iter().position(|&c| c == ':') {
            let name = &word[..colon];
            let value = &word[colon + 1..];
            if !name.is_empty() && name.iter().all(|c| c.is_alphabetic()) {
                let name: String = name.iter().collect();
                let value_col = col + colon + 1;
                if name.eq_ignore_ascii_case("date") {
                    return self.date(start, start + colon + 1);
                }
                let next = self.chars.get(end).copied();
                let value_follows =
                    !value.is_empty() || next.is_some_and(|c| c == '(' || is_quote(c));
                if let Some(scope) = Scope::from_name(&name) {
                    if !value_follows {
                        return Err(error(col, format!("expected a value after \"{name}:\"")));
                    }
                    if value.first() == Some(&'-') {
                        let hint =
                            format!("put '-' before the field to exclude, like -{name}:word");
                        return Err(error(value_col, hint));
                    }
                    let value = value.to_vec();
                    self.push(Tok::Field(scope), col);
                    if !value.is_empty() {
                        let (text, kind) = term_kind(&value, value_col)?;
                        self.push(Tok::Word { text, kind }, value_col);
                    }
                    return Ok(());
                }
                if value_follows && value.first() != Some(&'/') {
                    let message = format!("unknown field \"{name}\" (known: {KNOWN_FIELDS})");
                    return Err(error(col, message));
                }
            }
        }
        let (text, kind) = term_kind(word, col)?;
        self.push(Tok::Word { text, kind }, col);
        Ok(())
    }

    /// A quoted phrase and its optional `~N` slop; `self.pos` is at the opening quote.
    fn phrase(&mut self) -> Result<(), QueryError> {
        let open = self.pos;
        let Some(length) = self.chars[open + 1..].iter().position(|&c| is_quote(c)) else {
            return Err(error(open + 1, "unclosed quote"));
        };
        let close = open + 1 + length;
        let text: String = self.chars[open + 1..close].iter().collect();
        self.pos = close + 1;
        let mut slop = 0;
        if self.chars.get(self.pos) == Some(&'~') {
            let tilde = self.pos;
            let digits = self.chars[tilde + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                return Err(error(tilde + 1, "expected a number after '~'"));
            }
            let number: String = self.chars[tilde + 1..tilde + 1 + digits].iter().collect();
            slop = number
                .parse()
                .map_err(|_| error(tilde + 1, "phrase slop too large"))?;
            self.pos = tilde + 1 + digits;
        }
        self.push(Tok::Phrase { text, slop }, open + 1);
        Ok(())
    }

    /// A `date:` clause starting at index `start`, its value at index `value`.
    fn date(&mut self, start: usize, value: usize) -> Result<(), QueryError> {
        let col = start + 1;
        let range = match self.chars.get(value) {
            Some(&open @ ('[' | '{')) => self.date_range(open, value)?,
            _ => {
                let length = self.chars[value..]
                    .iter()
                    .position(|&c| c.is_whitespace() || c == '(' || c == ')')
                    .unwrap_or(self.chars.len() - value);
                self.pos = value + length;
                let text: String = self.chars[value..value + length].iter().collect();
                let (operator, bound) = [">=", "<=", ">", "<"]
                    .into_iter()
                    .find_map(|operator| text.strip_prefix(operator).map(|rest| (operator, rest)))
                    .unwrap_or(("", text.as_str()));
                if bound.is_empty() {
                    return Err(error(
                        col,
                        format!("expected a date after \"date:{operator}\""),
                    ));
                }
                let bound_col = value + 1 + operator.len();
                let (first, last) = self.bound(bound, bound_col)?;
                match operator {
                    ">=" => DateRange {
                        since: Some(first),
                        until: None,
                    },
                    ">" => DateRange {
                        since: Some(last.saturating_add(1)),
                        until: None,
                    },
                    "<=" => DateRange {
                        since: None,
                        until: Some(last),
                    },
                    "<" => DateRange {
                        since: None,
                        until: Some(first.saturating_sub(1)),
                    },
                    _ if is_relative(bound) => DateRange {
                        since: Some(first),
                        until: None,
                    },
                    _ => DateRange {
                        since: Some(first),
                        until: Some(last),
                    },
                }
            }
        };
        if let (Some(since), Some(until)) = (range.since, range.until) {
            if since > until {
                return Err(error(col, "empty date range: it ends before it starts"));
            }
        }
        self.push(Tok::Date(range), col);
        Ok(())
    }

    /// A bracketed range `[a TO b]`, `{a TO b}` or a mix; `open` is at index `at`.
    fn date_range(&mut self, open: char, at: usize) -> Result<DateRange, QueryError> {
        let col = at + 1;
        let Some(length) = self.chars[at + 1..]
            .iter()
            .position(|&c| c == ']' || c == '}')
        else {
            return Err(error(col, "unclosed date range"));
        };
        let close_at = at + 1 + length;
        let close = self.chars[close_at];
        self.pos = close_at + 1;
        // The words inside the brackets, with their columns.
        let mut parts: Vec<(String, usize)> = Vec::new();
        for index in at + 1..close_at {
            let c = self.chars[index];
            if c.is_whitespace() {
                continue;
            }
            match parts.last_mut() {
                Some((part, part_col)) if *part_col + part.chars().count() == index + 1 => {
                    part.push(c);
                }
                _ => parts.push((c.to_string(), index + 1)),
            }
        }
        let [(low, low_col), (to, _), (high, high_col)] = parts.as_slice() else {
            return Err(error(
                col,
                "expected a date range like [2025-03-01 TO 2025-03-31]",
            ));
        };
        if !to.eq_ignore_ascii_case("to") {
            return Err(error(
                col,
                "expected a date range like [2025-03-01 TO 2025-03-31]",
            ));
        }
        let since = match low.as_str() {
            "*" => None,
            low => {
                let (first, last) = self.bound(low, *low_col)?;
                Some(if open == '[' {
                    first
                } else {
                    last.saturating_add(1)
                })
            }
        };
        let until = match high.as_str() {
            "*" => None,
            high => {
                let (first, last) = self.bound(high, *high_col)?;
                Some(if close == ']' {
                    last
                } else {
                    first.saturating_sub(1)
                })
            }
        };
        if since.is_none() && until.is_none() {
            return Err(error(col, "a date range needs at least one date"));
        }
        Ok(DateRange { since, until })
    }

    /// The period a date names, or an error at its column.
    fn bound(&self, text: &str, col: usize) -> Result<(i64, i64), QueryError> {
        dates::parse_bound(text, self.now)
            .map_err(|message| error(col, format!("bad date \"{text}\": {message}")))
    }
}

/// Whether a date bound is one of the relative forms (`7d`, `3w`, `6m`, `1y`).
fn is_relative(text: &str) -> bool {
    match text.char_indices().last() {
        Some((index, unit)) => {
            matches!(unit, 'd' | 'w' | 'm' | 'y')
                && index > 0
                && text[..index].bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Splits a word's `*` or `~N` suffix off; `col` is the word's column.
fn term_kind(word: &[char], col: usize) -> Result<(String, TermKind), QueryError> {
    let fuzzy = word
        .iter()
        .rposition(|&c| c == '~')
        .filter(|&tilde| word[tilde + 1..].iter().all(char::is_ascii_digit));
    if let Some(tilde) = fuzzy {
        let base = &word[..tilde];
        if base.is_empty() {
            return Err(error(col + tilde, "expected a word before '~'"));
        }
        if let Some(star) = base.iter().position(|&c| c == '*') {
            return Err(error(col + star, "a word can't be both a prefix and fuzzy"));
        }
        let distance = match &word[tilde + 1..] {
            [] | ['2'] => 2,
            ['1'] => 1,
            _ => return Err(error(col + tilde, "fuzzy distance must be 1 or 2")),
        };
        return Ok((base.iter().collect(), TermKind::Fuzzy(distance)));
    }
    if let Some(star) = word.iter().position(|&c| c == '*') {
        if star + 1 != word.len() {
            return Err(error(
                col + star,
                "'*' is only allowed at the end of a word",
            ));
        }
        if star < 2 {
            return Err(error(
                col + star,
                "a prefix needs at least 2 characters before '*'",
            ));
        }
        return Ok((word[..star].iter().collect(), TermKind::Prefix));
    }
    Ok((word.iter().collect(), TermKind::Plain))
}

/// A `-`, `+` or `NOT` before a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Modifier {
    /// Nothing.
    None,
    /// `+`.
    Required,
    /// `-` or `NOT`.
    Excluded,
}

/// A clause of a sequence before its [`Occur`] is decided.
struct Item {
    /// Its `-`, `+` or `NOT`.
    modifier: Modifier,
    /// What it matches; `None` for an empty group or phrase.
    node: Option<Node>,
    /// Joined to a neighbour by an explicit `AND`.
    and: bool,
    /// Where it starts.
    col: usize,
}

/// A recursive-descent parser over the tokens; recursion is bounded by [`MAX_DEPTH`].
struct Parser<'t> {
    /// All the tokens.
    tokens: &'t [Token],
    /// The index of the next token.
    pos: usize,
    /// `any` mode.
    any: bool,
}

impl<'t> Parser<'t> {
    /// The next token, not consumed.
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }

    /// The column just past the last token, for errors at the end of the query.
    fn end_col(&self) -> usize {
        self.tokens.last().map_or(1, |token| token.col + 1)
    }

    /// Clauses joined by spaces or `AND`, up to a `)` or the end.
    fn sequence(&mut self, depth: usize, scope: Option<Scope>) -> Result<Option<Node>, QueryError> {
        let mut items: Vec<Item> = Vec::new();
        let mut after_and = false;
        while let Some(token) = self.peek() {
            match token.tok {
                Tok::Close => break,
                Tok::And => {
                    self.pos += 1;
                    let Some(last) = items.last_mut() else {
                        return Err(error(token.col, "AND needs a term on each side"));
                    };
                    if !self.peek().is_some_and(Token::starts_unary) {
                        return Err(error(token.col, "AND needs a term on each side"));
                    }
                    last.and = true;
                    after_and = true;
                }
                Tok::Or => return Err(error(token.col, "OR needs a term on each side")),
                _ => {
                    let mut item = self.disjunction(depth, scope)?;
                    item.and |= std::mem::take(&mut after_and);
                    items.push(item);
                }
            }
        }
        Ok(self.combine(items))
    }

    /// Decides each clause's [`Occur`] and builds the sequence's node.
    fn combine(&self, items: Vec<Item>) -> Option<Node> {
        let mut clauses = Vec::with_capacity(items.len());
        let mut required = false;
        let mut filtered = false;
        for item in items {
            let Some(node) = item.node else { continue };
            if item.modifier != Modifier::Excluded && is_negative_only(&node) {
                // A group that only excludes excludes from this sequence.
                if let Node::Bool(children) = node {
                    clauses.extend(children);
                }
                continue;
            }
            let occur = match item.modifier {
                Modifier::Excluded => Occur::MustNot,
                Modifier::Required => {
                    required = true;
                    Occur::Must
                }
                Modifier::None if item.and => {
                    required = true;
                    Occur::Must
                }
                Modifier::None if self.any && !is_filter(&node) => Occur::Should,
                Modifier::None => {
                    filtered = true;
                    Occur::Must
                }
            };
            clauses.push((occur, node));
        }
        if self.any && filtered && !required {
            // Filters alone must not turn the optional words into score boosts: at least one
            // of them still has to match.
            let mut optional = Vec::new();
            let mut rest = Vec::with_capacity(clauses.len());
            let mut slot = None;
            for (occur, node) in clauses {
                if occur == Occur::Should {
                    slot.get_or_insert(rest.len());
                    optional.push((occur, node));
                } else {
                    rest.push((occur, node));
                }
            }
            if let (Some(slot), Some(group)) = (slot, make_bool(optional)) {
                rest.insert(slot, (Occur::Must, group));
            }
            clauses = rest;
        }
        make_bool(clauses)
    }

    /// Clauses joined by `OR`.
    fn disjunction(&mut self, depth: usize, scope: Option<Scope>) -> Result<Item, QueryError> {
        let first = self.unary(depth, scope)?;
        if !self.peek().is_some_and(|token| token.tok == Tok::Or) {
            return Ok(first);
        }
        let col = first.col;
        let mut alternatives = vec![first];
        while let Some(token) = self.peek().filter(|token| token.tok == Tok::Or) {
            self.pos += 1;
            if !self.peek().is_some_and(Token::starts_unary) {
                return Err(error(token.col, "OR needs a term on each side"));
            }
            alternatives.push(self.unary(depth, scope)?);
        }
        let mut clauses = Vec::with_capacity(alternatives.len());
        for alternative in alternatives {
            if alternative.modifier == Modifier::Excluded
                || alternative.node.as_ref().is_some_and(is_negative_only)
            {
                let message = "an OR alternative can't only exclude: exclude outside the OR, \
                               like (a OR b) -c";
                return Err(error(alternative.col, message));
            }
            if let Some(node) = alternative.node {
                clauses.push((Occur::Should, node));
            }
        }
        Ok(Item {
            modifier: Modifier::None,
            node: make_bool(clauses),
            and: false,
            col,
        })
    }

    /// A primary with an optional `-`, `+` or `NOT`.
    fn unary(&mut self, depth: usize, scope: Option<Scope>) -> Result<Item, QueryError> {
        let Some(token) = self.peek() else {
            return Err(error(self.end_col(), "expected a term"));
        };
        let (modifier, name, attached) = match token.tok {
            Tok::Minus { attached } => (Modifier::Excluded, "'-'", attached),
            Tok::Plus { attached } => (Modifier::Required, "'+'", attached),
            Tok::Not => (Modifier::Excluded, "NOT", true),
            _ => {
                let node = self.primary(depth, scope)?;
                return Ok(Item {
                    modifier: Modifier::None,
                    node,
                    and: false,
                    col: token.col,
                });
            }
        };
        self.pos += 1;
        if !attached || !self.peek().is_some_and(Token::starts_primary) {
            return Err(error(token.col, format!("{name} needs a term after it")));
        }
        let node = self.primary(depth, scope)?;
        if modifier == Modifier::Excluded && node.as_ref().is_some_and(is_negative_only) {
            let message = format!("{name} needs a group with a positive term");
            return Err(error(token.col, message));
        }
        Ok(Item {
            modifier,
            node,
            and: false,
            col: token.col,
        })
    }

    /// A word, phrase, date or parenthesised group, possibly scoped.
    fn primary(&mut self, depth: usize, scope: Option<Scope>) -> Result<Option<Node>, QueryError> {
        let Some(token) = self.peek() else {
            return Err(error(self.end_col(), "expected a term"));
        };
        self.pos += 1;
        match &token.tok {
            Tok::Field(field) => {
                let value = self.peek().filter(|value| {
                    matches!(value.tok, Tok::Word { .. } | Tok::Phrase { .. } | Tok::Open)
                });
                if value.is_none() {
                    let message = format!("expected a value after \"{}:\"", field.name());
                    return Err(error(token.col, message));
                }
                self.primary(depth, Some(*field))
            }
            Tok::Word { text, kind } => Ok(Some(Node::Term {
                scope,
                text: text.clone(),
                kind: *kind,
            })),
            Tok::Phrase { text, slop } => Ok(phrase(scope, text, *slop)),
            Tok::Date(range) => Ok(Some(Node::Date(*range))),
            Tok::Open => {
                if depth >= MAX_DEPTH {
                    let message =
                        format!("nesting too deep: more than {MAX_DEPTH} levels of parentheses");
                    return Err(error(token.col, message));
                }
                let node = self.sequence(depth + 1, scope)?;
                match self.peek() {
                    Some(Token {
                        tok: Tok::Close, ..
                    }) => {
                        self.pos += 1;
                        Ok(node)
                    }
                    _ => Err(error(token.col, "unclosed parenthesis")),
                }
            }
            Tok::Close | Tok::And | Tok::Or | Tok::Not | Tok::Minus { .. } | Tok::Plus { .. } => {
                Err(error(token.col, "expected a term"))
            }
        }
    }
}

/// A phrase node, or `None` for an empty phrase.
fn phrase(scope: Option<Scope>, text: &str, slop: u32) -> Option<Node> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let whole_value = scope.is_some_and(Scope::is_keyword);
    Some(Node::Phrase {
        scope,
        text: text.to_string(),
        slop,
        whole_value,
    })
}

/// Whether a node is a `Bool` of `MustNot` clauses only.
fn is_negative_only(node: &Node) -> bool {
    matches!(node, Node::Bool(clauses) if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot))
}

/// Whether a node only filters on metadata (dates, fields other than title/body), so that
/// `any` mode keeps it required.
fn is_filter(node: &Node) -> bool {
    match node {
        Node::Date(_) => true,
        Node::Term { scope, .. } | Node::Phrase { scope, .. } => {
            scope.is_some_and(|scope| !scope.is_text())
        }
        Node::Bool(clauses) => {
            let mut positive = clauses.iter().filter(|(occur, _)| *occur != Occur::MustNot);
            let mut any_positive = false;
            positive.all(|(_, child)| {
                any_positive = true;
                is_filter(child)
            }) && any_positive
        }
    }
}

/// Builds a `Bool` from normalised clauses, flattening where the meaning is unchanged:
/// a required conjunction into a conjunction, a disjunction into a disjunction, an excluded
/// disjunction into exclusions. One non-excluded clause is returned as itself, none as `None`.
fn make_bool(clauses: Vec<(Occur, Node)>) -> Option<Node> {
    let mut flat = Vec::with_capacity(clauses.len());
    for clause in clauses {
        match clause {
            (Occur::Must, Node::Bool(children))
                if children.iter().all(|(occur, _)| *occur != Occur::Should)
                    && children.iter().any(|(occur, _)| *occur == Occur::Must) =>
            {
                flat.extend(children);
            }
            (Occur::Should, Node::Bool(children))
                if children.iter().all(|(occur, _)| *occur == Occur::Should) =>
            {
                flat.extend(children);
            }
            (Occur::MustNot, Node::Bool(children))
                if children.iter().all(|(occur, _)| *occur == Occur::Should) =>
            {
                flat.extend(
                    children
                        .into_iter()
                        .map(|(_, child)| (Occur::MustNot, child)),
                );
            }
            clause => flat.push(clause),
        }
    }
    match flat.as_slice() {
        [] => None,
        [(Occur::Must | Occur::Should, _)] => flat.pop().map(|(_, node)| node),
        _ => Some(Node::Bool(flat)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Occur::{Must, MustNot, Should};

    /// 2026-11-27T00:00:00Z.
    const NOW: i64 = 1_795_737_600;

    fn parse_with(query: &str, any: bool) -> Result<Node, QueryError> {
        parse(query, &ParseOptions { any, now: NOW })
    }

    /// Parses in the default (all words required) mode.
    fn all(query: &str) -> Node {
        parse_with(query, false).unwrap_or_else(|e| panic!("{query:?}: {e}"))
    }

    /// Parses in `any` mode.
    fn any(query: &str) -> Node {
        parse_with(query, true).unwrap_or_else(|e| panic!("{query:?} (any): {e}"))
    }

    /// The error for a query, in both modes (they must agree).
    fn fails(query: &str) -> (usize, String) {
        let error = match parse_with(query, false) {
            Ok(node) => panic!("{query:?} parsed as {node:?}"),
            Err(error) => error,
        };
        assert_eq!(
            parse_with(query, true),
            Err(error.clone()),
            "{query:?} in any mode"
        );
        (error.column, error.message)
    }

    fn t(text: &str) -> Node {
        Node::Term {
            scope: None,
            text: text.to_string(),
            kind: TermKind::Plain,
        }
    }

    fn st(scope: Scope, text: &str) -> Node {
        Node::Term {
            scope: Some(scope),
            text: text.to_string(),
            kind: TermKind::Plain,
        }
    }

    fn term(scope: Option<Scope>, text: &str, kind: TermKind) -> Node {
        Node::Term {
            scope,
            text: text.to_string(),
            kind,
        }
    }

    fn p(text: &str) -> Node {
        Node::Phrase {
            scope: None,
            text: text.to_string(),
            slop: 0,
            whole_value: false,
        }
    }

    fn sp(scope: Scope, text: &str, whole_value: bool) -> Node {
        Node::Phrase {
            scope: Some(scope),
            text: text.to_string(),
            slop: 0,
            whole_value,
        }
    }

    fn b(clauses: Vec<(Occur, Node)>) -> Node {
        Node::Bool(clauses)
    }

    fn date(since: Option<i64>, until: Option<i64>) -> Node {
        Node::Date(DateRange { since, until })
    }

    /// Unix seconds of an RFC 3339 instant.
    fn at(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp()
    }

    // ----- words, operators, precedence -----

    #[test]
    fn a_single_word_is_a_term() {
        assert_eq!(all("bukele"), t("bukele"));
        assert_eq!(all("  bukele \t\n"), t("bukele"));
        assert_eq!(any("bukele"), t("bukele"));
    }

    #[test]
    fn words_are_all_required_by_default() {
        assert_eq!(
            all("general strike miners"),
            b(vec![
                (Must, t("general")),
                (Must, t("strike")),
                (Must, t("miners"))
            ])
        );
    }

    #[test]
    fn words_are_kept_as_typed() {
        assert_eq!(all("Bukele's"), t("Bukele's"));
        assert_eq!(all("São"), t("São"));
        assert_eq!(all("covid-19"), t("covid-19"));
        assert_eq!(all("C++"), t("C++"));
        assert_eq!(all("e.g."), t("e.g."));
        assert_eq!(all("x/~user"), t("x/~user"));
        assert_eq!(all("ÉLYSÉE"), t("ÉLYSÉE"));
        assert_eq!(all("数据"), t("数据"));
    }

    #[test]
    fn lowercase_operators_are_words() {
        assert_eq!(
            all("cats or dogs"),
            b(vec![(Must, t("cats")), (Must, t("or")), (Must, t("dogs"))])
        );
        assert_eq!(
            all("and not Or"),
            b(vec![(Must, t("and")), (Must, t("not")), (Must, t("Or"))])
        );
        assert_eq!(
            all("ANDROID ORGAN NOTE"),
            b(vec![
                (Must, t("ANDROID")),
                (Must, t("ORGAN")),
                (Must, t("NOTE"))
            ])
        );
    }

    #[test]
    fn glued_operators_are_words() {
        assert_eq!(all("a -AND"), b(vec![(Must, t("a")), (MustNot, t("AND"))]));
        assert_eq!(all("+OR"), t("OR"));
        assert_eq!(all("title:NOT"), st(Scope::Title, "NOT"));
        assert_eq!(all("\"AND\""), p("AND"));
    }

    #[test]
    fn explicit_and_is_a_space() {
        assert_eq!(all("a AND b"), all("a b"));
        assert_eq!(all("a AND b AND c"), all("a b c"));
        assert_eq!(all("(a)AND(b)"), all("a b"));
    }

    #[test]
    fn or_is_a_disjunction() {
        assert_eq!(
            all("strike OR lockout"),
            b(vec![(Should, t("strike")), (Should, t("lockout"))])
        );
        assert_eq!(
            all("a OR b OR c"),
            b(vec![(Should, t("a")), (Should, t("b")), (Should, t("c"))])
        );
        assert_eq!(any("a OR b"), all("a OR b"));
    }

    #[test]
    fn or_binds_tighter_than_and() {
        let b_or_c = b(vec![(Should, t("b")), (Should, t("c"))]);
        assert_eq!(
            all("a b OR c"),
            b(vec![(Must, t("a")), (Must, b_or_c.clone())])
        );
        assert_eq!(all("a AND b OR c"), all("a b OR c"));
        let a_or_b = b(vec![(Should, t("a")), (Should, t("b"))]);
        assert_eq!(
            all("a OR b c"),
            b(vec![(Must, a_or_b.clone()), (Must, t("c"))])
        );
        assert_eq!(all("a OR b AND c"), all("a OR b c"));
        assert_eq!(
            all("a OR b c OR d"),
            b(vec![
                (Must, a_or_b),
                (Must, b(vec![(Should, t("c")), (Should, t("d"))]))
            ])
        );
        // Parentheses override it.
        assert_eq!(
            all("(a b) OR c"),
            b(vec![
                (Should, b(vec![(Must, t("a")), (Must, t("b"))])),
                (Should, t("c"))
            ])
        );
    }

    #[test]
    fn modifiers_bind_tightest() {
        // `a OR b -c` is `(a OR b) AND NOT c`.
        assert_eq!(
            all("a OR b -c"),
            b(vec![
                (Must, b(vec![(Should, t("a")), (Should, t("b"))])),
                (MustNot, t("c"))
            ])
        );
        assert_eq!(all("a OR b NOT c"), all("a OR b -c"));
        assert_eq!(all("+a OR b"), b(vec![(Should, t("a")), (Should, t("b"))]));
    }

    #[test]
    fn the_issue_example() {
        assert_eq!(
            all("bukele AND (prison OR cecot) -football"),
            b(vec![
                (Must, t("bukele")),
                (Must, b(vec![(Should, t("prison")), (Should, t("cecot"))])),
                (MustNot, t("football")),
            ])
        );
        assert_eq!(
            all("bukele (prison OR cecot) -football"),
            all("bukele AND (prison OR cecot) -football")
        );
        assert_eq!(
            all("bukele prison OR cecot -football"),
            all("bukele AND (prison OR cecot) -football")
        );
    }

    #[test]
    fn exclusions() {
        assert_eq!(
            all("a -football"),
            b(vec![(Must, t("a")), (MustNot, t("football"))])
        );
        assert_eq!(all("a NOT football"), all("a -football"));
        assert_eq!(all("a AND NOT football"), all("a -football"));
        assert_eq!(all("a AND -football"), all("a -football"));
        assert_eq!(
            all("a -\"world cup\""),
            b(vec![(Must, t("a")), (MustNot, p("world cup"))])
        );
        assert_eq!(all("a NOT \"world cup\""), all("a -\"world cup\""));
        // Excluding a disjunction excludes each alternative.
        assert_eq!(
            all("a -(b OR c)"),
            b(vec![(Must, t("a")), (MustNot, t("b")), (MustNot, t("c"))])
        );
        assert_eq!(all("a NOT (b OR c)"), all("a -(b OR c)"));
        // Excluding a conjunction excludes articles with all of it.
        assert_eq!(
            all("a -(b c)"),
            b(vec![
                (Must, t("a")),
                (MustNot, b(vec![(Must, t("b")), (Must, t("c"))]))
            ])
        );
        assert_eq!(all("-a b"), b(vec![(MustNot, t("a")), (Must, t("b"))]));
        assert_eq!(
            all("a -title:b"),
            b(vec![(Must, t("a")), (MustNot, st(Scope::Title, "b"))])
        );
        assert_eq!(
            all("a -bb*"),
            b(vec![
                (Must, t("a")),
                (MustNot, term(None, "bb", TermKind::Prefix))
            ])
        );
    }

    #[test]
    fn required_words() {
        assert_eq!(all("+a b"), b(vec![(Must, t("a")), (Must, t("b"))]));
        assert_eq!(all("+\"a b\" c"), b(vec![(Must, p("a b")), (Must, t("c"))]));
        assert_eq!(
            all("+(a OR b) c"),
            b(vec![
                (Must, b(vec![(Should, t("a")), (Should, t("b"))])),
                (Must, t("c"))
            ])
        );
        assert_eq!(all("+1"), t("1"));
    }

    // ----- any mode -----

    #[test]
    fn any_mode_makes_words_optional() {
        assert_eq!(any("a b"), b(vec![(Should, t("a")), (Should, t("b"))]));
        assert_eq!(
            any("\"a b\" c"),
            b(vec![(Should, p("a b")), (Should, t("c"))])
        );
        assert_eq!(any("a -b"), b(vec![(Should, t("a")), (MustNot, t("b"))]));
        assert_eq!(
            any("title:a b"),
            b(vec![(Should, st(Scope::Title, "a")), (Should, t("b"))])
        );
        assert_eq!(
            any("body:a b"),
            b(vec![(Should, st(Scope::Body, "a")), (Should, t("b"))])
        );
    }

    #[test]
    fn any_mode_is_the_default_operator_at_every_level() {
        assert_eq!(
            any("(a b) c"),
            b(vec![(Should, t("a")), (Should, t("b")), (Should, t("c"))])
        );
        assert_eq!(any("(a OR b) c"), any("a b c"));
        assert_eq!(
            any("+(a b) c"),
            b(vec![
                (Must, b(vec![(Should, t("a")), (Should, t("b"))])),
                (Should, t("c"))
            ])
        );
    }

    #[test]
    fn any_mode_keeps_plus_and_explicit_and_required() {
        assert_eq!(
            any("+a b c"),
            b(vec![(Must, t("a")), (Should, t("b")), (Should, t("c"))])
        );
        assert_eq!(
            any("a AND b c"),
            b(vec![(Must, t("a")), (Must, t("b")), (Should, t("c"))])
        );
        assert_eq!(
            any("c a AND b"),
            b(vec![(Should, t("c")), (Must, t("a")), (Must, t("b"))])
        );
    }

    #[test]
    fn any_mode_keeps_filters_required() {
        let words = b(vec![(Should, t("strike")), (Should, t("lockout"))]);
        assert_eq!(
            any("source:ap strike lockout"),
            b(vec![(Must, st(Scope::Source, "ap")), (Must, words.clone())])
        );
        assert_eq!(
            any("strike source:ap lockout"),
            b(vec![(Must, words.clone()), (Must, st(Scope::Source, "ap"))])
        );
        assert_eq!(
            any("date:2025 strike"),
            b(vec![
                (
                    Must,
                    date(
                        Some(at("2025-01-01T00:00:00Z")),
                        Some(at("2025-12-31T23:59:59Z"))
                    )
                ),
                (Must, t("strike"))
            ])
        );
        assert_eq!(
            any("(source:ap OR source:reuters) strike lockout -football"),
            b(vec![
                (
                    Must,
                    b(vec![
                        (Should, st(Scope::Source, "ap")),
                        (Should, st(Scope::Source, "reuters"))
                    ])
                ),
                (Must, words),
                (MustNot, t("football")),
            ])
        );
        // With a `+` word, the others only add to the score.
        assert_eq!(
            any("source:ap +strike lockout"),
            b(vec![
                (Must, st(Scope::Source, "ap")),
                (Must, t("strike")),
                (Should, t("lockout"))
            ])
        );
        assert_eq!(any("lang:en"), st(Scope::Lang, "en"));
        assert_eq!(
            any("source:\"AP\" person:x"),
            b(vec![
                (Must, sp(Scope::Source, "AP", true)),
                (Must, st(Scope::Person, "x"))
            ])
        );
        // A group mixing words and filters is not a filter.
        assert_eq!(
            any("(source:ap OR strike) lockout"),
            b(vec![
                (Should, st(Scope::Source, "ap")),
                (Should, t("strike")),
                (Should, t("lockout"))
            ])
        );
    }

    // ----- groups -----

    #[test]
    fn groups_are_flattened() {
        assert_eq!(all("((a))"), t("a"));
        assert_eq!(all("(a b) c"), all("a b c"));
        assert_eq!(all("a (b (c d))"), all("a b c d"));
        assert_eq!(all("a OR (b OR (c OR d))"), all("a OR b OR c OR d"));
        assert_eq!(
            all("a (b (c OR d))"),
            b(vec![
                (Must, t("a")),
                (Must, t("b")),
                (Must, b(vec![(Should, t("c")), (Should, t("d"))]))
            ])
        );
        assert_eq!(
            all("(a -b) c"),
            b(vec![(Must, t("a")), (MustNot, t("b")), (Must, t("c"))])
        );
        // An OR of conjunctions stays nested.
        assert_eq!(
            all("(a b) OR (c d)"),
            b(vec![
                (Should, b(vec![(Must, t("a")), (Must, t("b"))])),
                (Should, b(vec![(Must, t("c")), (Must, t("d"))])),
            ])
        );
    }

    #[test]
    fn empty_groups_and_phrases_are_dropped() {
        assert_eq!(all("a ()"), t("a"));
        assert_eq!(all("a (())"), t("a"));
        assert_eq!(all("a OR ()"), t("a"));
        assert_eq!(all("a AND ()"), t("a"));
        assert_eq!(all("a -()"), t("a"));
        assert_eq!(all("a \"\""), t("a"));
        assert_eq!(all("a \"   \""), t("a"));
        assert_eq!(all("a title:()"), t("a"));
    }

    #[test]
    fn groups_that_only_exclude_exclude_from_their_sequence() {
        assert_eq!(
            all("a (-b -c)"),
            b(vec![(Must, t("a")), (MustNot, t("b")), (MustNot, t("c"))])
        );
        assert_eq!(
            all("(-b -c) a"),
            b(vec![(MustNot, t("b")), (MustNot, t("c")), (Must, t("a"))])
        );
        assert_eq!(all("a +(-b)"), b(vec![(Must, t("a")), (MustNot, t("b"))]));
        assert_eq!(
            all("a title:(-b -c)"),
            b(vec![
                (Must, t("a")),
                (MustNot, st(Scope::Title, "b")),
                (MustNot, st(Scope::Title, "c"))
            ])
        );
        assert_eq!(
            any("a b (-c)"),
            b(vec![(Should, t("a")), (Should, t("b")), (MustNot, t("c"))])
        );
    }

    #[test]
    fn nesting_up_to_the_limit() {
        let ok = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(all(&ok), t("a"));
        let ok = format!("{}a OR b{}", "(x ".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(parse_with(&ok, false).is_ok());
        let deep = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            fails(&deep),
            (
                65,
                "nesting too deep: more than 64 levels of parentheses".to_string()
            )
        );
        let deeper = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(fails(&deeper).0, 65);
        assert!(fails(&deeper).1.starts_with("nesting too deep"));
        let scoped = format!(
            "{}a{}",
            "title:(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(fails(&scoped).0, 64 * 7 + 7);
        let negated = format!("a {}b{}", "-(".repeat(10_000), ")".repeat(10_000));
        assert!(fails(&negated).1.starts_with("nesting too deep"));
    }

    // ----- fuzzy, prefix, phrases -----

    #[test]
    fn fuzzy_words() {
        assert_eq!(all("bukel~1"), term(None, "bukel", TermKind::Fuzzy(1)));
        assert_eq!(all("bukel~2"), term(None, "bukel", TermKind::Fuzzy(2)));
        assert_eq!(all("bukel~"), term(None, "bukel", TermKind::Fuzzy(2)));
        assert_eq!(
            all("title:bukel~1"),
            term(Some(Scope::Title), "bukel", TermKind::Fuzzy(1))
        );
        assert_eq!(
            all("-bukel~1 a"),
            b(vec![
                (MustNot, term(None, "bukel", TermKind::Fuzzy(1))),
                (Must, t("a"))
            ])
        );
        assert_eq!(all("é~1"), term(None, "é", TermKind::Fuzzy(1)));
    }

    #[test]
    fn prefix_words() {
        assert_eq!(all("bu*"), term(None, "bu", TermKind::Prefix));
        assert_eq!(all("bukel*"), term(None, "bukel", TermKind::Prefix));
        assert_eq!(
            all("title:strik*"),
            term(Some(Scope::Title), "strik", TermKind::Prefix)
        );
        assert_eq!(
            all("url:https://example.com/2025/*"),
            term(
                Some(Scope::Url),
                "https://example.com/2025/",
                TermKind::Prefix
            )
        );
        assert_eq!(
            all("a bu* OR ca*"),
            b(vec![
                (Must, t("a")),
                (
                    Must,
                    b(vec![
                        (Should, term(None, "bu", TermKind::Prefix)),
                        (Should, term(None, "ca", TermKind::Prefix))
                    ])
                )
            ])
        );
        assert_eq!(all("éé*"), term(None, "éé", TermKind::Prefix));
    }

    #[test]
    fn phrases() {
        assert_eq!(all("\"exact phrase\""), p("exact phrase"));
        assert_eq!(
            all("\"Exact Phrase, Accentuée\""),
            p("Exact Phrase, Accentuée")
        );
        assert_eq!(all("\" padded \""), p("padded"));
        assert_eq!(all("\"single\""), p("single"));
        assert_eq!(
            all("\"a b\"~3"),
            Node::Phrase {
                scope: None,
                text: "a b".into(),
                slop: 3,
                whole_value: false
            }
        );
        assert_eq!(all("\"a b\"~0"), p("a b"));
        assert_eq!(
            all("\"a b\"~4294967295"),
            Node::Phrase {
                scope: None,
                text: "a b".into(),
                slop: u32::MAX,
                whole_value: false
            }
        );
        assert_eq!(all("\"a b\" c"), b(vec![(Must, p("a b")), (Must, t("c"))]));
        assert_eq!(
            all("x\"a b\"y"),
            b(vec![(Must, t("x")), (Must, p("a b")), (Must, t("y"))])
        );
        assert_eq!(all("\"a (b) OR c*\""), p("a (b) OR c*"));
        assert_eq!(all("\"title:x\""), p("title:x"));
    }

    #[test]
    fn typographic_quotes() {
        assert_eq!(all("“general strike”"), p("general strike"));
        assert_eq!(all("„Generalstreik“"), p("Generalstreik"));
        assert_eq!(all("”a b”"), p("a b"));
        assert_eq!(
            all("source:“Le Monde”"),
            sp(Scope::Source, "Le Monde", true)
        );
    }

    // ----- scopes -----

    #[test]
    fn every_scope_by_name() {
        for scope in Scope::ALL {
            let query = format!("{}:value", scope.name());
            assert_eq!(all(&query), st(scope, "value"), "{query}");
            assert_eq!(Scope::from_name(scope.name()), Some(scope));
            assert_eq!(Scope::from_name(&scope.name().to_uppercase()), Some(scope));
        }
        assert_eq!(Scope::from_name("date"), None);
        assert_eq!(Scope::from_name("foo"), None);
        assert_eq!(all("TITLE:x"), st(Scope::Title, "x"));
        assert_eq!(all("Source:Reuters"), st(Scope::Source, "Reuters"));
    }

    #[test]
    fn a_scope_applies_to_the_next_word_only() {
        assert_eq!(
            all("title:strike lockout"),
            b(vec![
                (Must, st(Scope::Title, "strike")),
                (Must, t("lockout"))
            ])
        );
        assert_eq!(
            all("title:strike OR lockout"),
            b(vec![
                (Should, st(Scope::Title, "strike")),
                (Should, t("lockout"))
            ])
        );
    }

    #[test]
    fn a_scope_applies_to_a_group() {
        assert_eq!(
            all("title:(strike OR lockout)"),
            b(vec![
                (Should, st(Scope::Title, "strike")),
                (Should, st(Scope::Title, "lockout"))
            ])
        );
        assert_eq!(
            all("title:(strike \"general strike\" -football bu*)"),
            b(vec![
                (Must, st(Scope::Title, "strike")),
                (Must, sp(Scope::Title, "general strike", false)),
                (MustNot, st(Scope::Title, "football")),
                (Must, term(Some(Scope::Title), "bu", TermKind::Prefix)),
            ])
        );
        assert_eq!(
            all("title:(a (b OR c))"),
            b(vec![
                (Must, st(Scope::Title, "a")),
                (
                    Must,
                    b(vec![
                        (Should, st(Scope::Title, "b")),
                        (Should, st(Scope::Title, "c"))
                    ])
                ),
            ])
        );
        // An inner scope wins; dates ignore scopes.
        assert_eq!(
            all("title:(a body:b)"),
            b(vec![
                (Must, st(Scope::Title, "a")),
                (Must, st(Scope::Body, "b"))
            ])
        );
        assert_eq!(
            all("title:(a date:>=2025)"),
            b(vec![
                (Must, st(Scope::Title, "a")),
                (Must, date(Some(at("2025-01-01T00:00:00Z")), None))
            ])
        );
        assert_eq!(
            all("-title:(a OR b) c"),
            b(vec![
                (MustNot, st(Scope::Title, "a")),
                (MustNot, st(Scope::Title, "b")),
                (Must, t("c"))
            ])
        );
    }

    #[test]
    fn quoted_values_on_keyword_fields_mean_the_whole_value() {
        assert_eq!(
            all("source:\"Associated Press\""),
            sp(Scope::Source, "Associated Press", true)
        );
        assert_eq!(all("source:reuters"), st(Scope::Source, "reuters"));
        for scope in Scope::ALL {
            let query = format!("{}:\"a b\"", scope.name());
            assert_eq!(all(&query), sp(scope, "a b", scope.is_keyword()), "{query}");
        }
        assert!(!Scope::Title.is_keyword() && !Scope::Lang.is_keyword() && !Scope::Id.is_keyword());
        assert_eq!(
            all("source:(\"Associated Press\" OR reuters)"),
            b(vec![
                (Should, sp(Scope::Source, "Associated Press", true)),
                (Should, st(Scope::Source, "reuters"))
            ])
        );
        assert_eq!(
            all("person:\"Nayib Bukele\"~2"),
            Node::Phrase {
                scope: Some(Scope::Person),
                text: "Nayib Bukele".into(),
                slop: 2,
                whole_value: true
            }
        );
        assert_eq!(all("title:(source:\"AP\")"), sp(Scope::Source, "AP", true));
        assert_eq!(all("source:(title:\"AP\")"), sp(Scope::Title, "AP", false));
    }

    #[test]
    fn colons_that_are_not_fields() {
        assert_eq!(all("10:30"), t("10:30"));
        assert_eq!(
            all("meeting 10:30"),
            b(vec![(Must, t("meeting")), (Must, t("10:30"))])
        );
        assert_eq!(all("https://example.com/a"), t("https://example.com/a"));
        assert_eq!(
            all("Breaking: strike"),
            b(vec![(Must, t("Breaking:")), (Must, t("strike"))])
        );
        assert_eq!(all("(Breaking:)"), t("Breaking:"));
        assert_eq!(all(":x"), t(":x"));
        assert_eq!(all("a1:b"), t("a1:b"));
        assert_eq!(all("::"), t("::"));
        assert_eq!(
            all("url:http://x.com/a:b"),
            st(Scope::Url, "http://x.com/a:b")
        );
        assert_eq!(all("title:foo:bar"), st(Scope::Title, "foo:bar"));
        assert_eq!(all("id:abc:123"), st(Scope::Id, "abc:123"));
        assert_eq!(all("source:+972"), st(Scope::Source, "+972"));
        assert_eq!(all("title:date:2025"), st(Scope::Title, "date:2025"));
    }

    // ----- dates -----

    fn year_2025() -> Node {
        date(
            Some(at("2025-01-01T00:00:00Z")),
            Some(at("2025-12-31T23:59:59Z")),
        )
    }

    #[test]
    fn dates_by_period() {
        assert_eq!(all("date:2025"), year_2025());
        assert_eq!(
            all("date:2025"),
            date(Some(1_735_689_600), Some(1_767_225_599))
        );
        assert_eq!(
            all("date:2025-03"),
            date(
                Some(at("2025-03-01T00:00:00Z")),
                Some(at("2025-03-31T23:59:59Z"))
            )
        );
        assert_eq!(
            all("date:2025-03-16"),
            date(Some(1_742_083_200), Some(1_742_169_599))
        );
        assert_eq!(all("DATE:2025"), year_2025());
        let instant = at("2025-03-16T10:00:00Z");
        assert_eq!(
            all("date:2025-03-16T11:00:00+01:00"),
            date(Some(instant), Some(instant))
        );
    }

    #[test]
    fn date_ranges() {
        let march = date(
            Some(at("2025-03-01T00:00:00Z")),
            Some(at("2025-03-31T23:59:59Z")),
        );
        assert_eq!(all("date:[2025-03-01 TO 2025-03-31]"), march);
        assert_eq!(all("date:[2025-03 TO 2025-03]"), march);
        assert_eq!(all("date:[ 2025-03-01   to 2025-03-31 ]"), march);
        assert_eq!(all("date:{2025-02 TO 2025-04}"), march);
        assert_eq!(all("date:{2025-02-28 TO 2025-03-31]"), march);
        assert_eq!(all("date:[2025-03-01 TO 2025-04-01}"), march);
        assert_eq!(
            all("date:[2025-03 TO *]"),
            date(Some(at("2025-03-01T00:00:00Z")), None)
        );
        assert_eq!(
            all("date:[* TO 2025]"),
            date(None, Some(at("2025-12-31T23:59:59Z")))
        );
        assert_eq!(
            all("date:{* TO 2025}"),
            date(None, Some(at("2024-12-31T23:59:59Z")))
        );
        assert_eq!(
            all("date:[1y TO 7d]"),
            date(Some(at("2025-11-27T00:00:00Z")), Some(NOW - 7 * 86_400))
        );
        assert_eq!(
            all("date:[2025-03-16T10:00:00Z TO 2025-03-16T12:00:00Z]"),
            date(
                Some(at("2025-03-16T10:00:00Z")),
                Some(at("2025-03-16T12:00:00Z"))
            )
        );
        assert_eq!(
            all("date:[2025-03-16 TO 2025-03-16]"),
            all("date:2025-03-16")
        );
    }

    #[test]
    fn date_comparisons() {
        assert_eq!(
            all("date:>=2025-03-01"),
            date(Some(at("2025-03-01T00:00:00Z")), None)
        );
        assert_eq!(
            all("date:>2025"),
            date(Some(at("2026-01-01T00:00:00Z")), None)
        );
        assert_eq!(
            all("date:<=2025-06"),
            date(None, Some(at("2025-06-30T23:59:59Z")))
        );
        assert_eq!(
            all("date:<2025"),
            date(None, Some(at("2024-12-31T23:59:59Z")))
        );
        let instant = at("2025-03-16T10:00:00Z");
        assert_eq!(
            all("date:>2025-03-16T10:00:00Z"),
            date(Some(instant + 1), None)
        );
        assert_eq!(
            all("date:<2025-03-16T10:00:00Z"),
            date(None, Some(instant - 1))
        );
    }

    #[test]
    fn relative_dates() {
        assert_eq!(all("date:7d"), date(Some(NOW - 7 * 86_400), None));
        assert_eq!(all("date:>=7d"), date(Some(1_795_132_800), None));
        assert_eq!(all("date:3w"), date(Some(NOW - 21 * 86_400), None));
        assert_eq!(all("date:6m"), date(Some(at("2026-05-27T00:00:00Z")), None));
        assert_eq!(all("date:1y"), date(Some(at("2025-11-27T00:00:00Z")), None));
        assert_eq!(
            all("date:<1y"),
            date(None, Some(at("2025-11-27T00:00:00Z") - 1))
        );
        assert_eq!(all("date:0d"), date(Some(NOW), None));
    }

    #[test]
    fn dates_combine_like_clauses() {
        assert_eq!(
            all("strike date:2025"),
            b(vec![(Must, t("strike")), (Must, year_2025())])
        );
        assert_eq!(all("(strike date:2025)"), all("strike date:2025"));
        assert_eq!(
            all("strike date:2025)".trim_end_matches(')')),
            all("strike date:2025")
        );
        assert_eq!(all("(date:2025)"), year_2025());
        assert_eq!(
            all("strike -date:2025"),
            b(vec![(Must, t("strike")), (MustNot, year_2025())])
        );
        let year_2027 = all("date:2027");
        assert_eq!(
            all("date:2025 OR date:2027"),
            b(vec![(Should, year_2025()), (Should, year_2027)])
        );
        assert_eq!(
            all("date:2025 date:>2024"),
            b(vec![(Must, year_2025()), (Must, all("date:>2024"))])
        );
    }

    #[test]
    fn filters_make_exclusions_valid() {
        assert_eq!(
            all("date:2025 -football"),
            b(vec![(Must, year_2025()), (MustNot, t("football"))])
        );
        assert_eq!(
            all("source:reuters -football"),
            b(vec![
                (Must, st(Scope::Source, "reuters")),
                (MustNot, t("football"))
            ])
        );
        assert_eq!(
            any("source:reuters -football"),
            all("source:reuters -football")
        );
    }

    // ----- errors -----

    fn check_errors(cases: &[(&str, usize, &str)]) {
        for &(query, column, message) in cases {
            assert_eq!(fails(query), (column, message.to_string()), "{query:?}");
        }
    }

    #[test]
    fn quote_and_parenthesis_errors() {
        check_errors(&[
            ("\"judge tried", 1, "unclosed quote"),
            ("a \"b", 3, "unclosed quote"),
            ("é \"b", 3, "unclosed quote"),
            ("\"a\" \"b", 5, "unclosed quote"),
            ("\"", 1, "unclosed quote"),
            ("a AND (b", 7, "unclosed parenthesis"),
            ("((a)", 1, "unclosed parenthesis"),
            ("(", 1, "unclosed parenthesis"),
            ("a (b (c) d", 3, "unclosed parenthesis"),
            ("a)", 2, "unexpected ')'"),
            (")", 1, "unexpected ')'"),
            ("(a))", 4, "unexpected ')'"),
            ("a) (b", 2, "unexpected ')'"),
            ("()", 1, "empty query"),
            ("(())", 1, "empty query"),
        ]);
    }

    #[test]
    fn field_errors() {
        let unknown = "unknown field \"foo\" (known: title, body, source, author, tag, lang, url, id, person, org, place, entity, date)";
        check_errors(&[
            ("foo:bar", 1, unknown),
            ("a foo:\"x y\"", 3, unknown),
            ("a foo:(x)", 3, unknown),
            ("-foo:bar", 2, unknown),
            ("title:", 1, "expected a value after \"title:\""),
            ("a title: strike", 3, "expected a value after \"title:\""),
            ("(title:)", 2, "expected a value after \"title:\""),
            (
                "title:-foo",
                7,
                "put '-' before the field to exclude, like -title:word",
            ),
        ]);
        let (column, message) = fails("Año:2025");
        assert_eq!(column, 1);
        assert!(message.starts_with("unknown field \"Año\""));
    }

    #[test]
    fn date_errors() {
        check_errors(&[
            ("date:2025-13", 6, "bad date \"2025-13\": month out of range"),
            ("a date:2025-02-30", 8, "bad date \"2025-02-30\": day out of range"),
            ("date:>=2025-13", 8, "bad date \"2025-13\": month out of range"),
            ("date:>2025-00", 7, "bad date \"2025-00\": month out of range"),
            ("date:0999", 6, "bad date \"0999\": year out of range: expected 1000 to 9999"),
            ("date:yesterday", 6, "bad date \"yesterday\": not a date: expected YYYY, YYYY-MM, YYYY-MM-DD, RFC 3339 or 7d/3w/6m/1y"),
            ("date:\"2025\"", 6, "bad date \"\"2025\"\": not a date: expected YYYY, YYYY-MM, YYYY-MM-DD, RFC 3339 or 7d/3w/6m/1y"),
            ("date:", 1, "expected a date after \"date:\""),
            ("date: 2025", 1, "expected a date after \"date:\""),
            ("(date:)", 2, "expected a date after \"date:\""),
            ("date:>=", 1, "expected a date after \"date:>=\""),
            ("date:<", 1, "expected a date after \"date:<\""),
            ("date:[2025 TO 2024]", 1, "empty date range: it ends before it starts"),
            ("date:{2025-03-16 TO 2025-03-16}", 1, "empty date range: it ends before it starts"),
            ("date:[2025 TO", 6, "unclosed date range"),
            ("(date:[2025 TO 2026)", 7, "unclosed date range"),
            ("date:[2025 2026]", 6, "expected a date range like [2025-03-01 TO 2025-03-31]"),
            ("date:[2025 TO 2026 TO 2027]", 6, "expected a date range like [2025-03-01 TO 2025-03-31]"),
            ("date:[2025 UNTIL 2026]", 6, "expected a date range like [2025-03-01 TO 2025-03-31]"),
            ("date:[]", 6, "expected a date range like [2025-03-01 TO 2025-03-31]"),
            ("date:[* TO *]", 6, "a date range needs at least one date"),
            ("date:[2025-13 TO *]", 7, "bad date \"2025-13\": month out of range"),
            ("date:[2025 TO 2025-02-30]", 15, "bad date \"2025-02-30\": day out of range"),
            ("date:[é TO 2025]", 7, "bad date \"é\": not a date: expected YYYY, YYYY-MM, YYYY-MM-DD, RFC 3339 or 7d/3w/6m/1y"),
            ("date:2000000y", 6, "bad date \"2000000y\": too far back: the year must be 1000 or later"),
        ]);
    }

    #[test]
    fn empty_queries() {
        for query in [
            "",
            " ",
            "\t\n",
            "AND",
            "OR",
            "NOT",
            "AND OR NOT",
            "-",
            "+",
            "- +",
            "\"\"",
            "\"  \" \"\"",
        ] {
            assert_eq!(fails(query), (1, "empty query".to_string()), "{query:?}");
        }
    }

    #[test]
    fn dangling_operators() {
        check_errors(&[
            ("a AND", 3, "AND needs a term on each side"),
            ("AND a", 1, "AND needs a term on each side"),
            ("a AND AND b", 3, "AND needs a term on each side"),
            ("a AND OR b", 3, "AND needs a term on each side"),
            ("(a AND) b", 4, "AND needs a term on each side"),
            ("(AND a)", 2, "AND needs a term on each side"),
            ("a OR", 3, "OR needs a term on each side"),
            ("OR a", 1, "OR needs a term on each side"),
            ("a OR OR b", 3, "OR needs a term on each side"),
            ("a OR AND b", 3, "OR needs a term on each side"),
            ("(a OR) b", 4, "OR needs a term on each side"),
            ("a NOT", 3, "NOT needs a term after it"),
            ("a NOT NOT b", 3, "NOT needs a term after it"),
            ("a NOT -b", 3, "NOT needs a term after it"),
            ("a - b", 3, "'-' needs a term after it"),
            ("a -", 3, "'-' needs a term after it"),
            ("(a -)", 4, "'-' needs a term after it"),
            ("a --b", 3, "'-' needs a term after it"),
            ("a -+b", 3, "'-' needs a term after it"),
            ("a + b", 3, "'+' needs a term after it"),
            ("a +", 3, "'+' needs a term after it"),
        ]);
    }

    #[test]
    fn prefix_and_fuzzy_errors() {
        check_errors(&[
            ("*", 1, "a prefix needs at least 2 characters before '*'"),
            ("a*", 2, "a prefix needs at least 2 characters before '*'"),
            ("x é*", 4, "a prefix needs at least 2 characters before '*'"),
            (
                "title:a*",
                8,
                "a prefix needs at least 2 characters before '*'",
            ),
            ("*ab", 1, "'*' is only allowed at the end of a word"),
            ("a*b", 2, "'*' is only allowed at the end of a word"),
            ("ab**", 3, "'*' is only allowed at the end of a word"),
            ("word~3", 5, "fuzzy distance must be 1 or 2"),
            ("word~0", 5, "fuzzy distance must be 1 or 2"),
            ("word~12", 5, "fuzzy distance must be 1 or 2"),
            (
                "word~99999999999999999999",
                5,
                "fuzzy distance must be 1 or 2",
            ),
            ("~3", 1, "expected a word before '~'"),
            ("~", 1, "expected a word before '~'"),
            ("a ~", 3, "expected a word before '~'"),
            ("ab*~1", 3, "a word can't be both a prefix and fuzzy"),
            ("\"a b\"~", 6, "expected a number after '~'"),
            ("\"a b\"~x", 6, "expected a number after '~'"),
            ("\"a b\"~4294967296", 6, "phrase slop too large"),
        ]);
    }

    #[test]
    fn negative_only_errors() {
        let positive = "a query needs at least one positive term";
        check_errors(&[
            ("-football", 1, positive),
            ("  -a -b", 3, positive),
            ("NOT a", 1, positive),
            ("-\"world cup\"", 1, positive),
            ("-(a OR b)", 1, positive),
            ("(-a)", 1, positive),
            ("-date:2025", 1, positive),
            ("-title:a", 1, positive),
            ("-a ()", 1, positive),
        ]);
        let alternative =
            "an OR alternative can't only exclude: exclude outside the OR, like (a OR b) -c";
        check_errors(&[
            ("a OR -b", 6, alternative),
            ("-a OR b", 1, alternative),
            ("a OR NOT b", 6, alternative),
            ("a OR (-b)", 6, alternative),
            ("x (a OR -b)", 9, alternative),
        ]);
        check_errors(&[
            ("a -(-b)", 3, "'-' needs a group with a positive term"),
            ("a NOT (-b)", 3, "NOT needs a group with a positive term"),
        ]);
    }

    #[test]
    fn the_first_error_wins() {
        // Lexical errors come first, left to right.
        assert_eq!(fails("foo:bar \"x").0, 1);
        assert_eq!(fails("a) \"x").1, "unclosed quote");
        assert_eq!(fails("a*b foo:bar").0, 2);
    }

    #[test]
    fn errors_display_their_column() {
        let error = parse_with("a AND (b", false).unwrap_err();
        assert_eq!(error.to_string(), "column 7: unclosed parenthesis");
        let boxed: Box<dyn std::error::Error> = Box::new(error);
        assert_eq!(boxed.to_string(), "column 7: unclosed parenthesis");
    }

    // ----- positive terms -----

    #[test]
    fn positive_terms_skip_exclusions_and_dates() {
        let node =
            all("bukele AND (prison OR \"mega prison\") -football title:cecot date:2025 -(a b)");
        let terms: Vec<Node> = positive_terms(&node).into_iter().cloned().collect();
        assert_eq!(
            terms,
            vec![
                t("bukele"),
                t("prison"),
                p("mega prison"),
                st(Scope::Title, "cecot")
            ]
        );
        assert_eq!(positive_terms(&all("word")), vec![&t("word")]);
        assert!(positive_terms(&all("date:2025")).is_empty());
        assert_eq!(positive_terms(&all("bu* x~1")).len(), 2);
        let nested = b(vec![(
            Must,
            b(vec![(MustNot, b(vec![(Must, t("x"))])), (Should, t("y"))]),
        )]);
        assert_eq!(positive_terms(&nested), vec![&t("y")]);
    }

    #[test]
    fn positive_terms_of_a_deep_tree_do_not_recurse() {
        let mut node = t("leaf");
        for _ in 0..100_000 {
            node = Node::Bool(vec![(Must, node)]);
        }
        assert_eq!(positive_terms(&node), vec![&t("leaf")]);
        // Dropping such a tree recurses; it is not something `parse` builds, so leak it.
        std::mem::forget(node);
    }

    // ----- robustness -----

    /// Checks the shape `parse` promises: no empty or pointless `Bool`, a positive clause in
    /// each, no flattenable nesting, non-empty phrases.
    fn check_normalised(node: &Node, query: &str) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            match node {
                Node::Bool(clauses) => {
                    assert!(
                        clauses.iter().any(|(o, _)| *o != MustNot),
                        "{query:?}: {node:?}"
                    );
                    assert!(
                        clauses.len() >= 2 || clauses[0].0 == MustNot,
                        "{query:?}: {node:?}"
                    );
                    for (occur, child) in clauses {
                        if let (Should, Node::Bool(inner)) = (occur, child) {
                            assert!(
                                inner.iter().any(|(o, _)| *o != Should),
                                "{query:?}: {node:?}"
                            );
                        }
                        stack.push(child);
                    }
                }
                Node::Phrase { text, .. } => assert!(!text.trim().is_empty()),
                Node::Term { text, .. } => assert!(!text.is_empty()),
                Node::Date(range) => {
                    if let (Some(since), Some(until)) = (range.since, range.until) {
                        assert!(since <= until);
                    }
                }
            }
        }
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_any_input(query: &str) {
        for any in [false, true] {
            match parse_with(query, any) {
                Ok(node) => check_normalised(&node, query),
                Err(error) => {
                    let length = query.chars().count();
                    assert!(
                        error.column >= 1 && error.column <= length + 1,
                        "{query:?}: {error:?}"
                    );
                    assert!(!error.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn hostile_token_soup_never_panics() {
        let pieces = [
            "a",
            "bb",
            "Ωé",
            "数据",
            " ",
            " ",
            "  ",
            "\t",
            "(",
            ")",
            "(",
            ")",
            "\"",
            "“",
            "”",
            "„",
            "-",
            "+",
            "*",
            "~",
            "~1",
            "~3",
            ":",
            "AND",
            "OR",
            "NOT",
            " AND ",
            " OR ",
            " NOT ",
            "title:",
            "source:",
            "date:",
            "foo:",
            "date:[",
            "]",
            "{",
            "}",
            " TO ",
            "*",
            "2025",
            "2025-13",
            "2025-03-16",
            "7d",
            ">=",
            "<",
            ">",
            "\u{0}",
            "\u{200b}",
            "\u{10ffff}",
            "\\",
            "'",
            "http://",
            "/",
            "10:30",
            "-(",
            "+(",
            "\"a b\"~2",
            "bu*",
            "x~",
            "[",
            "\u{301}",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut query = String::new();
            for _ in 0..rng.below(16) {
                query.push_str(pieces[rng.below(pieces.len())]);
            }
            check_any_input(&query);
        }
    }

    #[test]
    fn random_bytes_and_unicode_never_panic() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5_000 {
            let bytes: Vec<u8> = (0..rng.below(40)).map(|_| rng.next() as u8).collect();
            check_any_input(&String::from_utf8_lossy(&bytes));
            let chars: String = (0..rng.below(40))
                .filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32))
                .collect();
            check_any_input(&chars);
            let ascii: String = (0..rng.below(40))
                .map(|_| (rng.next() % 128) as u8 as char)
                .collect();
            check_any_input(&ascii);
        }
    }

    #[test]
    fn huge_inputs_never_panic() {
        for query in [
            "(".repeat(10_000),
            ")".repeat(10_000),
            "\"".repeat(10_001),
            "-".repeat(10_000),
            "-(".repeat(10_000),
            "NOT ".repeat(10_000),
            "a OR ".repeat(10_000) + "b",
            "a ".repeat(100_000),
            "title:".repeat(10_000) + "x",
            "date:[".repeat(1_000),
            format!("{}a{}", "((".repeat(5_000), "))".repeat(5_000)),
            "*".repeat(10_000),
            "~".repeat(10_000),
        ] {
            check_any_input(&query);
        }
        let long_or = "a OR ".repeat(10_000) + "b";
        let mut alternatives: Vec<(Occur, Node)> = (0..10_000).map(|_| (Should, t("a"))).collect();
        alternatives.push((Should, t("b")));
        assert_eq!(all(&long_or), b(alternatives));
    }
}

/// Property tests: any text parses or fails with a column inside it, never panics, and the
/// tree's size is linear in the query (see [`crate::fuzzing::check_query`]).
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::fuzzing::check_query;

    /// 2026-11-27T00:00:00Z.
    const NOW: i64 = 1_795_737_600;

    /// Pieces that steer the lexer and parser into their interesting states.
    const PIECES: &[&str] = &[
        "strike",
        "Bukele",
        "a",
        "é",
        "e\u{301}",
        "日本",
        "C++",
        "covid-19",
        "10:30",
        "https://x.org/a",
        "AND",
        "OR",
        "NOT",
        "and",
        "-",
        "+",
        "(",
        ")",
        "\"",
        "“",
        "”",
        "„",
        "title:",
        "body:",
        "source:",
        "TITLE:",
        "date:",
        "foo:",
        ":",
        "*",
        "~",
        "~1",
        "~2",
        "~3",
        "~99999999999",
        "2025",
        "2025-03",
        "2025-03-16",
        "2025-13",
        "0000-00-00",
        "99999-01-01",
        "2025-03-16T10:00:00Z",
        "7d",
        "6m",
        "0y",
        "99999999999999999999d",
        ">=",
        ">",
        "<=",
        "<",
        "[",
        "]",
        "{",
        "}",
        " TO ",
        "\t",
        "\n",
        "\u{a0}",
        "\u{200b}",
    ];

    /// Queries built from [`PIECES`], arbitrary characters and spaces.
    fn query() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => prop::sample::select(PIECES).prop_map(str::to_string),
            2 => Just(" ".to_string()),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..32).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_query_parses_or_points_inside_it(query in query()) {
            if let Err(violation) = check_query(&query, NOW) {
                prop_assert!(false, "{query:?}: {violation}");
            }
        }

        #[test]
        fn arbitrary_text_parses_or_points_inside_it(query in "\\PC{0,40}") {
            if let Err(violation) = check_query(&query, NOW) {
                prop_assert!(false, "{query:?}: {violation}");
            }
        }

        /// Nesting is capped before it can exhaust the stack, whatever wraps each level.
        #[test]
        fn nesting_is_bounded(
            depth in 0usize..400,
            open in prop::sample::select(&["(", "-(", "title:(", "NOT (", "a OR ("][..]),
        ) {
            let query = format!("{}x{}", open.repeat(depth), ")".repeat(depth));
            let result = parse(&query, &ParseOptions { any: false, now: NOW });
            if depth > MAX_DEPTH {
                let error = result.err();
                prop_assert!(
                    error.as_ref().is_some_and(|e| e.message.starts_with("nesting too deep")),
                    "{depth}: {error:?}"
                );
            } else if let Err(violation) = check_query(&query, NOW) {
                prop_assert!(false, "{query:?}: {violation}");
            }
        }
    }
}
