//! Ranking articles from their passages: the knobs of the ranking
//! ([`RankConfig`], whose default is the measured best), the proximity
//! clauses added to a query, and the article score combined from the scores
//! of the article's matching passages.

use tantivy::query::{BoostQuery, PhraseQuery, Query};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Term};

use crate::error::{Error, Result};

/// How passages and articles are scored. The default is the configuration
/// measured best on the Reuters dev judgments (see README, "Ranking").
#[derive(Debug, Clone, PartialEq)]
pub struct RankConfig {
    /// Weight of a title match relative to a passage-text match.
    pub title_boost: Score,
    /// Weight of the sloppy-phrase clause for each adjacent pair of query
    /// words (0 turns proximity off).
    pub proximity: Score,
    /// Words allowed between the two words of a pair.
    pub proximity_slop: u32,
    /// Weight of an article's further matching passages, added to its best.
    pub support: Score,
    /// How many further passages count.
    pub support_passages: usize,
    /// Show the article's lead passage first when it matches and scores at
    /// least this fraction of the best (above 1: never).
    pub lead_ratio: Score,
    /// Weight of the pseudo-relevance-feedback clause (0 turns it off).
    pub feedback: Score,
    /// Top passages read for feedback.
    pub feedback_passages: usize,
    /// Expansion terms added.
    pub feedback_terms: usize,
    /// Feedback reorders this many times the passages fetched, taken from
    /// the best for the query alone.
    pub feedback_pool: usize,
    /// Most passages shown under one article: the lead or the best, then
    /// further ones only when they score close to the best.
    pub shown_passages: usize,
}

impl Default for RankConfig {
    fn default() -> RankConfig {
        RankConfig {
            title_boost: 0.5,
            proximity: 0.0,
            proximity_slop: 2,
            support: 0.1,
            support_passages: 1,
            lead_ratio: 0.3,
            feedback: 0.2,
            feedback_passages: 10,
            feedback_terms: 10,
            feedback_pool: 4,
            shown_passages: 1,
        }
    }
}

/// The environment variable that overrides ranking settings, for
/// experiments (`title_boost=2,proximity=0.3`; see README, "Ranking").
pub const RANK_ENV: &str = "NEWSDEX_RANK";

impl RankConfig {
    /// The measured default, with any overrides from [`RANK_ENV`].
    pub fn from_env() -> Result<RankConfig> {
        match std::env::var(RANK_ENV) {
            Ok(spec) => RankConfig::with_overrides(&spec),
            Err(_) => Ok(RankConfig::default()),
        }
    }

    /// The default with `key=value` overrides, comma-separated (for
    /// experiments: `title_boost=2,proximity=0.3`).
    pub fn with_overrides(spec: &str) -> Result<RankConfig> {
        let mut config = RankConfig::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let bad = || {
                Error::BadArgument(format!("ranking setting '{item}': expected KEY=NUMBER (keys: title_boost, proximity, proximity_slop, support, support_passages, lead_ratio, feedback, feedback_passages, feedback_terms, feedback_pool, shown_passages)"))
            };
            let (key, value) = item.split_once('=').ok_or_else(bad)?;
            let number: f64 = value.trim().parse().map_err(|_| bad())?;
            match key.trim() {
                "title_boost" => config.title_boost = number as Score,
                "proximity" => config.proximity = number as Score,
                "proximity_slop" => config.proximity_slop = number as u32,
                "support" => config.support = number as Score,
                "support_passages" => config.support_passages = number as usize,
                "lead_ratio" => config.lead_ratio = number as Score,
                "feedback" => config.feedback = number as Score,
                "feedback_passages" => config.feedback_passages = number as usize,
                "feedback_terms" => config.feedback_terms = number as usize,
                "feedback_pool" => config.feedback_pool = number as usize,
                "shown_passages" => config.shown_passages = number as usize,
                _ => return Err(bad()),
            }
        }
        Ok(config)
    }

    /// An article's score from its passages' scores, best first.
    pub fn article_score(&self, passage_scores: &[Score]) -> Score {
        let Some((&best, rest)) = passage_scores.split_first() else {
            return 0.0;
        };
        let further: Score = rest.iter().take(self.support_passages).sum();
        best + self.support * further
    }
}

/// A passage score as ranking compares it. tantivy sums a passage's term
/// scores in an order that depends on the postings around it, so the same
/// passage in two builds of one corpus (copies of a story in two segments,
/// say) can score a last bit apart, and ties between copies then break
/// differently from build to build. Rounding to 12 significant bits (within
/// 1/4096 of the score, far below any difference ranking means) makes such
/// scores equal, except when a rounding step falls between the two: 1 ulp
/// against a step of 2^12 ulps, about once in 4,000 such pairs.
pub fn stable(score: Score) -> Score {
    const DROPPED: u32 = 12;
    if !score.is_finite() {
        return score;
    }
    // Round half away from zero on the magnitude; a carry into the
    // exponent is the correct next value.
    Score::from_bits((score.to_bits() + (1 << (DROPPED - 1))) & !((1 << DROPPED) - 1))
}

/// The plain words of a query, for proximity: quoted text loses its quotes,
/// and excluded words (`-word`), field clauses (`field:word`) and operators
/// are dropped.
pub fn plain_words(query: &str) -> String {
    query
        .split_whitespace()
        .filter(|w| !w.starts_with('-') && !w.contains(':'))
        .filter(|w| !matches!(*w, "AND" | "OR" | "NOT"))
        .map(|w| w.trim_start_matches('+'))
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['"', '(', ')', '^', '~'], " ")
}

/// One boosted sloppy-phrase query per adjacent pair of distinct query
/// terms, over `field`.
pub fn proximity_clauses(
    config: &RankConfig,
    field: Field,
    analyzer: &mut TextAnalyzer,
    query: &str,
) -> Vec<Box<dyn Query>> {
    if config.proximity <= 0.0 {
        return Vec::new();
    }
    let mut terms: Vec<String> = Vec::new();
    let words = plain_words(query);
    let mut stream = analyzer.token_stream(&words);
    while let Some(token) = stream.next() {
        if terms.last() != Some(&token.text) {
            terms.push(token.text.clone());
        }
    }
    terms
        .windows(2)
        .map(|pair| {
            let mut phrase = PhraseQuery::new(
                pair.iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            );
            phrase.set_slop(config.proximity_slop);
            Box::new(BoostQuery::new(Box::new(phrase), config.proximity)) as Box<dyn Query>
        })
        .collect()
}

/// A feedback word must occur in this many of the passages read.
const FEEDBACK_MIN_PASSAGES: usize = 2;

/// Expansion terms from the best passages (RM3-style): each word's share of
/// a passage, weighted by the passage's share of the total score and by the
/// word's inverse document frequency, summed; the `count` heaviest words
/// not in `exclude`, heaviest first, with weights scaled to at most 1.
pub fn feedback_terms(
    passages: &[(Score, String)],
    analyzer: &mut TextAnalyzer,
    idf: impl Fn(&str) -> f32,
    exclude: &[String],
    count: usize,
) -> Vec<(String, Score)> {
    let total: Score = passages.iter().map(|p| p.0).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    // Per word: its weight, and the number of passages it occurs in.
    let mut weights: std::collections::HashMap<String, (Score, usize)> = Default::default();
    for (score, text) in passages {
        let mut words: Vec<String> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            words.push(token.text.clone());
        }
        let share = score / total / words.len().max(1) as Score;
        let mut seen = std::collections::HashSet::new();
        for w in words {
            let entry = weights.entry(w.clone()).or_default();
            entry.0 += share;
            if seen.insert(w) {
                entry.1 += 1;
            }
        }
    }
    // A word of a single passage is noise (and looking up every word's
    // document frequency would cost more than the search).
    let min_passages = FEEDBACK_MIN_PASSAGES.min(passages.len());
    let mut ranked: Vec<(String, Score)> = weights
        .into_iter()
        .filter(|(w, (_, n))| {
            *n >= min_passages && !exclude.contains(w) && w.chars().any(char::is_alphabetic)
        })
        .map(|(w, (p, _))| (w, p))
        .map(|(w, p)| {
            let weight = p * idf(&w);
            (w, weight)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(count);
    let top = ranked.first().map_or(1.0, |r| r.1.max(Score::MIN_POSITIVE));
    ranked.into_iter().map(|(w, p)| (w, p / top)).collect()
}

/// The terms of a query's plain words, as the analyzer makes them.
pub fn query_terms(analyzer: &mut TextAnalyzer, query: &str) -> Vec<String> {
    let words = plain_words(query);
    let mut terms = Vec::new();
    let mut stream = analyzer.token_stream(&words);
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_last_bit_apart_rank_as_ties() {
        // One passage, copied into two segments of a scale-5 build, scored
        // 15.604004 in one and 15.604003 in the other.
        let (a, b): (Score, Score) = (15.604004, 15.604003);
        assert_ne!(a, b);
        assert_eq!(stable(a), stable(b));
        // Scores ranking means to tell apart stay apart, in order.
        assert!(stable(15.61) > stable(15.604004));
        assert!(stable(0.5) < stable(0.501));
        let mut last = 0.0;
        for i in 0..10_000 {
            let s = i as Score * 0.37;
            let r = stable(s);
            assert!(r >= last && (r - s).abs() <= s / 4096.0);
            last = r;
        }
        assert_eq!(stable(0.0), 0.0);
    }

    #[test]
    fn overrides_change_only_the_named_settings() {
        let c = RankConfig::with_overrides("title_boost=2, support=0.5").unwrap();
        assert_eq!(c.title_boost, 2.0);
        assert_eq!(c.support, 0.5);
        assert_eq!(c.proximity, RankConfig::default().proximity);
        assert!(RankConfig::with_overrides("nonsense=1").is_err());
        assert!(RankConfig::with_overrides("support").is_err());
    }

    #[test]
    fn article_score_adds_weighted_further_passages() {
        let c = RankConfig {
            support: 0.5,
            support_passages: 2,
            ..RankConfig::default()
        };
        assert_eq!(c.article_score(&[4.0, 2.0, 2.0, 8.0]), 6.0);
        assert_eq!(c.article_score(&[]), 0.0);
    }

    #[test]
    fn plain_words_drop_syntax() {
        assert_eq!(
            plain_words("\"Dow Jones\" -crash title:x record AND +drop"),
            " Dow Jones  record drop"
        );
    }
}
