//! Splitting text into sentences, and an article body into passages: runs of
//! whole sentences of about 60–120 words that end at paragraph breaks where
//! the text has them. Pure functions over text; byte ranges index the input.

use std::ops::Range;

/// A passage ends at a paragraph break once it has at least this many words.
pub const MIN_WORDS: usize = 60;
/// A passage takes no further sentence once that would pass this many words.
pub const MAX_WORDS: usize = 120;

/// Names the passage sizes, for an index to notice when they change (its
/// articles are then split again).
pub const SIZES: u64 = ((MIN_WORDS as u64) << 32) | MAX_WORDS as u64;

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
    let mut sentence_start = 0;
    let mut from = 0;
    while let Some(at) = memchr::memchr3(b'.', b'!', b'?', &line.as_bytes()[from..]) {
        let pos = from + at;
        let punct = char::from(line.as_bytes()[pos]);
        // Take the whole run of terminal punctuation and closing quotes.
        let run: usize = line[pos + 1..]
            .chars()
            .take_while(|&c| matches!(c, '.' | '!' | '?') || is_closer(c))
            .map(char::len_utf8)
            .sum();
        let cut = pos + 1 + run;
        let after = &line[cut..];
        let followed_by_space = after.chars().next().is_some_and(char::is_whitespace);
        if followed_by_space && ends_sentence(line, pos, punct, after) {
            push_trimmed(text, start + sentence_start..start + cut, out);
            sentence_start = cut;
        }
        from = cut;
    }
    push_trimmed(text, start + sentence_start..end, out);
}

/// Whether the punctuation at `pos` ends a sentence, given the text after it.
fn ends_sentence(line: &str, pos: usize, punct: char, after: &str) -> bool {
    let next = after.chars().find(|c| !c.is_whitespace());
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
    // (the abbreviations are ASCII, so ASCII case folding finds them)
    if ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)) {
        return false;
    }
    // An initial such as "J." in "J. Smith".
    let mut chars = word.chars();
    !matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn word_count(s: &str) -> usize {
    crate::words::words(s).count()
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
    let sentences: Vec<(Range<usize>, usize)> = sentences(body)
        .into_iter()
        .map(|r| {
            let words = word_count(&body[r.clone()]);
            (r, words)
        })
        .collect();
    let mut out = Vec::new();
    // Sentences waiting to be cut into passages: a short paragraph waits
    // for the next one.
    let mut pending: Vec<(Range<usize>, usize)> = Vec::new();
    let mut i = 0;
    while i < sentences.len() {
        // The paragraph runs to the first sentence followed by a line break.
        let mut j = i + 1;
        while j < sentences.len()
            && !body[sentences[j - 1].0.end..sentences[j].0.start].contains('\n')
        {
            j += 1;
        }
        pending.extend(sentences[i..j].iter().cloned());
        let words: usize = pending.iter().map(|(_, w)| w).sum();
        if words >= MIN_WORDS || j == sentences.len() {
            cut_balanced(&pending, &mut out);
            pending.clear();
        }
        i = j;
    }
    // A short last passage joins the one before when that stays near MAX_WORDS.
    if let [.., prev, last] = out.as_mut_slice() {
        if last.words < MIN_WORDS / 2 && prev.words + last.words <= MAX_WORDS + MIN_WORDS / 2 {
            prev.range.end = last.range.end;
            prev.words += last.words;
            out.pop();
        }
    }
    out
}

/// Cuts a run of sentences into as few passages of at most `MAX_WORDS` as
/// possible, of about equal length.
fn cut_balanced(sentences: &[(Range<usize>, usize)], out: &mut Vec<Passage>) {
    let total: usize = sentences.iter().map(|(_, w)| w).sum();
    let chunks = total.div_ceil(MAX_WORDS).max(1);
    let target = total.div_ceil(chunks);
    let mut current: Option<Passage> = None;
    for (range, words) in sentences {
        if let Some(p) = &current {
            let over_target = p.words + words / 2 > target;
            if p.words + words > MAX_WORDS || over_target {
                out.extend(current.take());
            }
        }
        let p = current.get_or_insert(Passage {
            range: range.clone(),
            words: 0,
        });
        p.range.end = range.end;
        p.words += words;
    }
    out.extend(current);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let t =
            "U.S. Special Envoy Steve Witkoff met Dr. J. Smith on Dec. 2 in Moscow. Then he left.";
        assert_eq!(
            texts(t, &sentences(t)),
            [
                "U.S. Special Envoy Steve Witkoff met Dr. J. Smith on Dec. 2 in Moscow.",
                "Then he left."
            ]
        );
    }

    #[test]
    fn quotes_close_the_sentence() {
        let t = "He said, “It does take two to tango.” The U.S. officials left.";
        assert_eq!(
            texts(t, &sentences(t)),
            [
                "He said, “It does take two to tango.”",
                "The U.S. officials left."
            ]
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
