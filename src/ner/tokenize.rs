//! Tokenizer and sentence splitter for raw news text. It owns the mapping from article text to
//! CoNLL-2003-like word tokens (byte spans): punctuation is split off, "U.S.", "Mr." and initials
//! keep their period, clitics ("'s", "n't", "'re", ...) become their own tokens (straight or curly
//! apostrophe), hyphenated words ("19-point", "son-in-law") stay whole. It also groups tokens into
//! sentences (line breaks and sentence-final punctuation) for `Tagger::mentions`.

/// Abbreviations (lowercase, without the final period) that keep their period.
const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "inc", "corp", "ltd", "co", "bros", "vs", "gen",
    "gov", "sen", "rep", "lt", "col", "sgt", "capt", "cmdr", "adm", "maj", "prof", "rev", "mt",
    "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "calif", "fla", "mass", "penn", "ariz", "ill", "wash", "conn", "tenn", "okla", "mich",
    "wis", "minn", "colo", "ore", "nev", "ky", "va", "ga", "pa", "md", "la", "ala", "miss", "del",
    "dept", "est", "approx", "messrs", "mme", "mlle", "plc", "cos", "assn", "univ", "ave", "blvd",
];

fn is_abbrev(word: &str) -> bool {
    // word includes its final '.'
    let core = &word[..word.len() - 1];
    if core.is_empty() {
        return false;
    }
    // internal period: U.S., p.m., U.N.
    if core.contains('.') && core.chars().any(|c| c.is_alphabetic()) {
        return true;
    }
    let mut chars = core.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // single letter initial: "P."
        return c.is_alphabetic();
    }
    if core.len() <= 6 && core.bytes().all(|c| c.is_ascii_alphabetic()) {
        let mut lower = [0u8; 6];
        lower[..core.len()].copy_from_slice(core.as_bytes());
        lower.make_ascii_lowercase();
        return ABBREV_SORTED.binary_search(&&lower[..core.len()]).is_ok();
    }
    false
}

/// `ABBREV` as bytes, sorted for a binary search.
static ABBREV_SORTED: std::sync::LazyLock<Vec<&[u8]>> = std::sync::LazyLock::new(|| {
    let mut a: Vec<&[u8]> = ABBREV.iter().map(|w| w.as_bytes()).collect();
    a.sort_unstable();
    a
});

/// "Corp.", "Mich." (not "U.S." nor an initial "P.").
fn is_word_abbrev(word: &str) -> bool {
    let core = &word[..word.len() - 1];
    core.len() >= 2 && !core.contains('.') && core.chars().all(|c| c.is_ascii_alphabetic())
}

fn is_open_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201E}'
            | '\u{2018}'
            | '\''
            | '('
            | '['
            | '{'
            | '\u{AB}'
            | '`'
            | '$'
            | '\u{A3}'
            | '\u{20AC}'
            | '#'
            | '*'
    )
}

fn is_close_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201D}'
            | '\u{2019}'
            | '\''
            | ')'
            | ']'
            | '}'
            | '\u{BB}'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '%'
            | '*'
    )
}

fn is_apos(c: char) -> bool {
    c == '\'' || c == '\u{2019}' || c == '\u{2018}'
}

/// Clitic suffixes split off a word (after the apostrophe), CoNLL/PTB style.
const CLITICS: &[&str] = &["s", "re", "ve", "ll", "d", "m"];

fn is_clitic(s: &str) -> bool {
    CLITICS.iter().any(|c| c.eq_ignore_ascii_case(s))
}

/// Split a word core (no surrounding punctuation) into clitic parts, pushing spans.
fn push_core(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    if s >= e {
        return;
    }
    let w = &text[s..e];
    // n't
    for nt in ["n't", "n\u{2019}t"] {
        if w.len() > nt.len()
            && w.is_char_boundary(w.len() - nt.len())
            && w[w.len() - nt.len()..].eq_ignore_ascii_case(nt)
        {
            let cut = e - nt.len();
            out.push((s, cut));
            out.push((cut, e));
            return;
        }
    }
    // 's 're 've 'll 'd 'm
    if let Some((pos, apos)) = w.char_indices().rev().find(|&(_, c)| is_apos(c)) {
        if pos > 0 {
            let after = &w[pos + apos.len_utf8()..];
            if is_clitic(after) {
                out.push((s, s + pos));
                out.push((s + pos, e));
                return;
            }
        }
    }
    // em/en dashes glue words: split around them
    if let Some((pos, c)) = w
        .char_indices()
        .find(|&(_, c)| c == '\u{2014}' || c == '\u{2013}')
    {
        push_core(text, s, s + pos, out);
        out.push((s + pos, s + pos + c.len_utf8()));
        push_core(text, s + pos + c.len_utf8(), e, out);
        return;
    }
    out.push((s, e));
}

/// Splits one whitespace-separated chunk into tokens; `plain` says it is all
/// ASCII letters and digits.
fn tokenize_chunk(
    text: &str,
    mut s: usize,
    mut e: usize,
    plain: bool,
    out: &mut Vec<(usize, usize)>,
) {
    // fast path: plain ASCII words and numbers (most tokens) need no splitting
    if plain {
        out.push((s, e));
        return;
    }
    // and such a word with one closing mark after it ("said," "year."), the next most common:
    // the mark is split off, unless a period belongs to an abbreviation ("Mr.", "P.")
    if let Some((&last, core)) = text.as_bytes()[s..e].split_last() {
        let plain_core = !core.is_empty() && core.iter().all(u8::is_ascii_alphanumeric);
        let closes = matches!(last, b',' | b';' | b':' | b'!' | b'?' | b')' | b'"' | b'%')
            || (last == b'.' && !is_abbrev(&text[s..e]));
        if plain_core && closes {
            out.push((s, e - 1));
            out.push((e - 1, e));
            return;
        }
    }
    // Whether the chunk ends its line or the text (asked only of a word abbreviation's period).
    let chunk_end = e;
    let line_end = || {
        text[chunk_end..]
            .chars()
            .find(|c| !(c.is_whitespace() && *c != '\n'))
            .is_none_or(|c| c == '\n')
    };
    // whole chunk is a clitic already ("'s" in pre-tokenised text)
    let chunk = &text[s..e];
    if let Some(first) = chunk.chars().next() {
        if is_apos(first) && is_clitic(&chunk[first.len_utf8()..]) {
            out.push((s, e));
            return;
        }
    }
    // leading punctuation
    while s < e {
        let c = match text[s..e].chars().next() {
            Some(c) => c,
            None => break,
        };
        if is_open_punct(c) && e - s > c.len_utf8() {
            out.push((s, s + c.len_utf8()));
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // trailing punctuation, collected in reverse
    let mut tail: [(usize, usize); 8] = [(0, 0); 8];
    let mut nt = 0usize;
    loop {
        if s >= e {
            break;
        }
        let w = &text[s..e];
        if nt == tail.len() {
            break;
        }
        if w.ends_with("...") && w.len() > 3 {
            tail[nt] = (e - 3, e);
            nt += 1;
            e -= 3;
            continue;
        }
        let c = match w.chars().next_back() {
            Some(c) => c,
            None => break,
        };
        let cl = c.len_utf8();
        if e - s <= cl {
            break;
        }
        if c == '.' {
            // An abbreviation keeps its period, except a word abbreviation ("Corp.", "Mich.")
            // that ends a line or the text, where the period is the sentence's (as in CoNLL).
            if is_abbrev(w) && !(is_word_abbrev(w) && line_end()) {
                break;
            }
            tail[nt] = (e - cl, e);
            nt += 1;
            e -= cl;
            continue;
        }
        if is_apos(c) {
            // "players'" -> players + '; but keep "O'" style? split only after s/z or when it closes a quote
            let prev = w[..w.len() - cl].chars().next_back();
            let opened = text[..s].ends_with(|ch: char| is_apos(ch))
                || out.last().is_some_and(|&(a, b)| is_apos_str(&text[a..b]));
            if prev.is_some_and(|p| p == 's' || p == 'S' || p == 'z')
                || opened
                || prev.is_some_and(|p| !p.is_alphanumeric())
            {
                tail[nt] = (e - cl, e);
                nt += 1;
                e -= cl;
                continue;
            }
            break;
        }
        if is_close_punct(c) {
            // keep ':' inside times like 10:30 (only trailing is split here anyway)
            tail[nt] = (e - cl, e);
            nt += 1;
            e -= cl;
            continue;
        }
        break;
    }
    push_core(text, s, e, out);
    out.extend(tail[..nt].iter().rev());
}

fn is_apos_str(s: &str) -> bool {
    let mut it = s.chars();
    matches!((it.next(), it.next()), (Some(c), None) if is_apos(c))
}

/// What a byte says to the tokenizer's scan: ASCII whitespace, an ASCII
/// letter or digit, or the start or middle of a multi-byte character.
const WS: u8 = 1;
const ALNUM: u8 = 2;
const MULTI: u8 = 4;

static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            MULTI
        } else if c.is_ascii_whitespace() || c == 0x0B {
            WS
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    t
};

/// Word token byte spans of `text`, CoNLL-2003-like.
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// [`tokenize`] into `out` (emptied first).
pub fn tokenize_into(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    out.reserve(text.len() / 5 + 4);
    let b = text.as_bytes();
    // Whether the character at `i` is whitespace, and its length (ASCII
    // from the table; other characters are decoded for Unicode whitespace).
    let char_at = |i: usize| -> (bool, usize) {
        let class = BYTE_CLASS[b[i] as usize];
        if class & MULTI == 0 {
            return (class & WS != 0, 1);
        }
        match text[i..].chars().next() {
            Some(c) => (c.is_whitespace(), c.len_utf8()),
            None => (true, b.len() - i),
        }
    };
    let mut i = 0usize;
    while i < b.len() {
        let (ws, len) = char_at(i);
        if ws {
            i += len;
            continue;
        }
        // A chunk: up to the next whitespace, noting whether it is all ASCII
        // letters and digits.
        let start = i;
        let mut plain = true;
        loop {
            while i < b.len() {
                let class = BYTE_CLASS[b[i] as usize];
                if class & (WS | MULTI) != 0 {
                    break;
                }
                plain &= class & ALNUM != 0;
                i += 1;
            }
            if i == b.len() || BYTE_CLASS[b[i] as usize] & WS != 0 {
                break;
            }
            let (ws, len) = char_at(i);
            if ws {
                break;
            }
            plain = false;
            i += len;
        }
        tokenize_chunk(text, start, i, plain, out);
    }
}

fn is_terminator(tok: &[u8]) -> bool {
    // "\u{2026}" (…) in UTF-8
    matches!(tok, b"." | b"!" | b"?" | b"..." | [0xE2, 0x80, 0xA6])
}

fn is_closer(tok: &[u8]) -> bool {
    // and "\u{201D}", "\u{2019}" (” ’) in UTF-8
    matches!(
        tok,
        b"\"" | b"'" | b")" | b"]" | [0xE2, 0x80, 0x9D] | [0xE2, 0x80, 0x99]
    )
}

/// Group token spans into sentences: returns index ranges into `spans`.
/// A sentence ends at a line break (unless the line looks hard-wrapped: no terminator before it and
/// a lowercase word after it), at a blank line, or after ". ! ?" (plus closing quotes/brackets)
/// when the next token starts with an uppercase letter, a digit or an opening quote.
pub fn sentences(text: &str, spans: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    sentences_into(text, spans, &mut out);
    out
}

/// [`sentences`] into `out` (emptied first).
pub fn sentences_into(text: &str, spans: &[(usize, usize)], out: &mut Vec<(usize, usize)>) {
    out.clear();
    let b = text.as_bytes();
    let mut s = 0usize;
    let n = spans.len();
    let mut i = 0usize;
    while i < n {
        let tok = &b[spans[i].0..spans[i].1];
        let mut end_here = false;
        let mut last = i;
        if is_terminator(tok) {
            // absorb closers
            while last + 1 < n && is_closer(&b[spans[last + 1].0..spans[last + 1].1]) {
                // closing quote must touch the previous token
                if spans[last + 1].0 != spans[last].1 {
                    break;
                }
                last += 1;
            }
            if last + 1 < n {
                let next = &text[spans[last + 1].0..spans[last + 1].1];
                let c = next.chars().next().unwrap_or(' ');
                if c.is_uppercase() || c.is_ascii_digit() || is_open_punct(c) || c == '-' {
                    end_here = true;
                }
            } else {
                end_here = true;
            }
        }
        if !end_here && last + 1 < n {
            let gap = &b[spans[last].1..spans[last + 1].0];
            let nl = gap.iter().filter(|&&c| c == b'\n').count();
            if nl >= 2 {
                end_here = true;
            } else if nl == 1 {
                let next = &text[spans[last + 1].0..spans[last + 1].1];
                let lower_next = next.chars().next().is_some_and(|c| c.is_lowercase());
                let ends_clause = is_terminator(&b[spans[last].0..spans[last].1]);
                if !lower_next || ends_clause {
                    end_here = true;
                }
            }
        }
        if end_here || last + 1 >= n {
            out.push((s, last + 1));
            s = last + 1;
        }
        i = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn toks(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|(a, b)| &t[a..b]).collect()
    }
    #[test]
    fn news_tokens() {
        assert_eq!(
            toks("President Donald Trump\u{2019}s son-in-law, the U.S. envoy."),
            vec![
                "President",
                "Donald",
                "Trump",
                "\u{2019}s",
                "son-in-law",
                ",",
                "the",
                "U.S.",
                "envoy",
                "."
            ]
        );
        assert_eq!(
            toks("\u{201C}Putin will meet with Mr. Witkoff,\u{201D} announced"),
            vec![
                "\u{201C}",
                "Putin",
                "will",
                "meet",
                "with",
                "Mr.",
                "Witkoff",
                ",",
                "\u{201D}",
                "announced"
            ]
        );
        assert_eq!(
            toks("a 19-point lead (Reuters) - P. Simmons didn't"),
            vec!["a", "19-point", "lead", "(", "Reuters", ")", "-", "P.", "Simmons", "did", "n't"]
        );
        assert_eq!(
            toks("Tim O'Gorman, ministers' $17,000 5% April '96"),
            vec![
                "Tim",
                "O'Gorman",
                ",",
                "ministers",
                "'",
                "$",
                "17,000",
                "5",
                "%",
                "April",
                "'",
                "96"
            ]
        );
        assert_eq!(
            toks("MOSCOW, Dec 2 (Reuters) -"),
            vec!["MOSCOW", ",", "Dec", "2", "(", "Reuters", ")", "-"]
        );
        assert_eq!(
            toks("by Lear Corp.\nFARMINGTON HILLS, Mich.\nthe U.S."),
            vec![
                "by",
                "Lear",
                "Corp",
                ".",
                "FARMINGTON",
                "HILLS",
                ",",
                "Mich",
                ".",
                "the",
                "U.S."
            ]
        );
    }
    #[test]
    fn sentence_split() {
        let t = "He won. Then \"he left.\" Mr. Smith said\nno.\nTITLE LINE\nNext";
        let sp = tokenize(t);
        let ss = sentences(t, &sp);
        let sents: Vec<Vec<&str>> = ss
            .iter()
            .map(|&(a, b)| sp[a..b].iter().map(|&(x, y)| &t[x..y]).collect())
            .collect();
        assert_eq!(sents[0], vec!["He", "won", "."]);
        assert_eq!(sents[1], vec!["Then", "\"", "he", "left", ".", "\""]);
        assert_eq!(sents[2], vec!["Mr.", "Smith", "said", "no", "."]);
        assert_eq!(sents[3], vec!["TITLE", "LINE"]);
        assert_eq!(sents[4], vec!["Next"]);
    }
}
