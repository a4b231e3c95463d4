//! Splitting text into sentences, and an article body into passages: runs of
//! whole sentences of about 40–120 words that end at paragraph breaks where
//! the text has them. Pure functions over text; byte ranges index the input.

use std::ops::Range;

/// A passage ends at a paragraph break once it has at least this many words.
pub const MIN_WORDS: usize = 40;
/// A passage takes no further sentence once that would pass this many words.
pub const MAX_WORDS: usize = 120;

/// Words that end in a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt",
    "cmdr", "adm", "maj", "rev", "hon", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "ltd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
    "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "mt", "ft", "approx", "dept", "est", "fig", "pct",
];

/// One passage of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Byte range in the article body.
    pub range: Range<usize>,
    pub words: usize,
}

/// Byte ranges of the sentences in `text`, trimmed, in order. Line breaks
/// always end a sentence.
///
/// ```
/// let text = "Mr. Witkoff met Putin. Talks went on.\nA new line";
/// let s: Vec<&str> = newsdex::passage::sentences(text).into_iter().map(|r| &text[r]).collect();
/// assert_eq!(s, ["Mr. Witkoff met Putin.", "Talks went on.", "A new line"]);
/// ```
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        split_line(text, line_start, line_start + line.len(), &mut out);
        line_start += line.len();
    }
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn split_line(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let line = &text[start..end];
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut sentence_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            // Take the whole run of terminal punctuation and closing quotes.
            let mut j = i + 1;
            while j < chars.len() && (matches!(chars[j].1, '.' | '!' | '?') || is_closer(chars[j].1)) {
                j += 1;
            }
            let followed_by_space = j < chars.len() && chars[j].1.is_whitespace();
            if followed_by_space && ends_sentence(line, pos, c, &chars[j..]) {
                let cut = chars[j].0;
                push_trimmed(text, start + sentence_start..start + cut, out);
                sentence_start = cut;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start + sentence_start..end, out);
}

/// Whether the punctuation at `pos` ends a sentence, given what follows it.
fn ends_sentence(line: &str, pos: usize, punct: char, after: &[(usize, char)]) -> bool {
    let next = after.iter().map(|&(_, c)| c).find(|c| !c.is_whitespace());
    let Some(next) = next else { return true };
    let starts_new = next.is_uppercase()
        || next.is_ascii_digit()
        || matches!(next, '"' | '“' | '‘' | '\'' | '(' | '[' | '-' | '—');
    if !starts_new {
        return false;
    }
    if punct != '.' {
        return true;
    }
    let word = line[..pos]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // An initial such as "J." in "J. Smith".
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    !(word.chars().count() == 1 && letters.next().is_some_and(char::is_uppercase))
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Splits an article body into passages.
///
/// ```
/// let body = "One two three.\nFour five.";
/// let p = newsdex::passage::passages(body);
/// assert_eq!(p.len(), 1);
/// assert_eq!(&body[p[0].range.clone()], body);
/// ```
pub fn passages(body: &str) -> Vec<Passage> {
    let sentences = sentences(body);
    let mut out: Vec<Passage> = Vec::new();
    let mut current: Option<Passage> = None;
    for (n, s) in sentences.iter().enumerate() {
        let words = word_count(&body[s.clone()]);
        if let Some(p) = current.as_ref() {
            if p.words + words > MAX_WORDS {
                out.extend(current.take());
            }
        }
        let p = current.get_or_insert(Passage {
            range: s.clone(),
            words: 0,
        });
        p.range.end = s.end;
        p.words += words;
        let paragraph_ends = sentences
            .get(n + 1)
            .is_none_or(|next| body[s.end..next.start].contains('\n'));
        if paragraph_ends && p.words >= MIN_WORDS {
            out.extend(current.take());
        }
    }
    if let Some(last) = current {
        // A short tail joins the passage before it when that stays near MAX_WORDS.
        match out.last_mut() {
            Some(prev) if last.words < MIN_WORDS / 2 && prev.words + last.words <= MAX_WORDS + MIN_WORDS / 2 => {
                prev.range.end = last.range.end;
                prev.words += last.words;
            }
            _ => out.push(last),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let t = "U.S. Special Envoy Steve Witkoff met Dr. J. Smith on Dec. 2 in Moscow. Then he left.";
        assert_eq!(
            texts(t, &sentences(t)),
            ["U.S. Special Envoy Steve Witkoff met Dr. J. Smith on Dec. 2 in Moscow.", "Then he left."]
        );
    }

    #[test]
    fn quotes_close_the_sentence() {
        let t = "He said, “It does take two to tango.” The U.S. officials left.";
        assert_eq!(
            texts(t, &sentences(t)),
            ["He said, “It does take two to tango.”", "The U.S. officials left."]
        );
    }

    #[test]
    fn lower_case_after_period_continues() {
        let t = "Prices rose 5.5 pct. in March and fell.";
        assert_eq!(texts(t, &sentences(t)).len(), 1);
    }

    #[test]
    fn passages_keep_sentences_whole_and_bounded() {
        let sentence = "This sentence has exactly ten words in it, you see. ";
        let para = sentence.repeat(6);
        let body = format!("{para}\n\n{para}\n\n{}", sentence.repeat(15));
        let ps = passages(&body);
        for p in &ps {
            let text = &body[p.range.clone()];
            assert!(text.ends_with('.'), "{text}");
            assert!(p.words <= MAX_WORDS, "{}", p.words);
            assert!(p.words >= MIN_WORDS, "{}", p.words);
        }
        assert_eq!(ps[0].words, 60, "paragraph break ends the first passage");
        assert_eq!(ps.iter().map(|p| p.words).sum::<usize>(), 270);
    }
}
