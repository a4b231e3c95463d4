//! Searching: parse the query with tantivy's parser (English stemming, the
//! title and text fields), rank passages by BM25, group them into articles
//! scored from their passages (see [`rank`]), highlight the matched words,
//! and count entity facets over every matching article.

mod article;
mod collector;
mod expansion;
mod facet_values;
mod histogram;
mod passages;
pub mod rank;
mod whole_articles;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;
use std::ops::Bound;
use tantivy::collector::TopDocs;

use tantivy::query::{
    BooleanQuery, EnableScoring, Occur, Query, QueryParser, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, DocSet, IndexReader, Order, ReloadPolicy, Score, SegmentOrdinal,
    TantivyDocument, Term,
};

use crate::article::Date;
use crate::error::{Error, Result};
use crate::extract::{Entities, EntityKind};
use crate::index::schema::{self, entity_value, parse_entity_value, ENTITY};
use crate::index::{Fields, NewsIndex};
pub use article::{ArticlePassage, FullArticle, Mention};
use collector::ArticleCounter;
use expansion::{Expansion, SegmentExpansion};
pub use histogram::{Bucket, Histogram, Interval};
use passages::{article_docs, first_passage, SegmentColumns};
pub use rank::RankConfig;
use whole_articles::WholeArticles;

/// A further passage is shown only if it scores at least this
/// fraction of the article's best.
const EXTRA_PASSAGE_MIN_RATIO: Score = 0.9;
/// Passages fetched per wanted article on the first ranking pass.
const PASSAGES_PER_ARTICLE_FETCHED: usize = 10;

/// What to search for.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Articles to return.
    pub limit: usize,
    /// Facet kinds to count over all matching articles.
    pub facets: Vec<EntityKind>,
    /// How many values to return per facet kind.
    pub facet_limit: usize,
    /// Entities every result must mention.
    pub filters: Vec<(EntityKind, String)>,
    /// Show every copy of a duplicated story, not just its best.
    pub all_copies: bool,
    /// Only articles dated on or after this day.
    pub since: Option<Date>,
    /// Only articles dated on or before this day.
    pub until: Option<Date>,
    pub sort: SortOrder,
    /// Never fail on query syntax: read a query the strict parser refuses
    /// leniently, even when it looks malformed (for batch runs).
    pub lenient: bool,
    /// How passages and articles are scored.
    pub rank: RankConfig,
}

/// How articles are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Best passage first.
    #[default]
    Relevance,
    /// Newest first; undated articles last.
    Date,
}

fn date_term(field: Field, date: Date) -> Term {
    Term::from_field_date(field, schema::date_value(date))
}

/// One highlighted passage of a result.
#[derive(Debug, Clone, Serialize)]
pub struct PassageHit {
    pub ordinal: u64,
    pub score: Score,
    pub text: String,
    /// Byte range of the passage in the article body.
    pub start: u64,
    pub end: u64,
    /// Byte ranges in `text` of the words that matched the query.
    pub highlights: Vec<[usize; 2]>,
}

/// What the index stores about an article, on each of its passages.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleMeta {
    pub id: String,
    pub path: String,
    pub doc_id: String,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
}

impl ArticleMeta {
    /// Read from one of the article's stored passages.
    fn of(doc: &TantivyDocument, f: &Fields) -> ArticleMeta {
        ArticleMeta {
            id: text_of(doc, f.id).unwrap_or_default(),
            path: text_of(doc, f.path).unwrap_or_default(),
            doc_id: text_of(doc, f.doc_id).unwrap_or_default(),
            title: text_of(doc, f.title).unwrap_or_default(),
            date: date_of(doc, f.date).map(|d| d.to_string()),
            source: text_of(doc, f.source),
            author: text_of(doc, f.author),
            url: text_of(doc, f.url),
        }
    }
}

/// One matching article with its best passages.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleHit {
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// Its best passage's score plus the weighted scores of further
    /// matching passages (see [`RankConfig::article_score`]).
    pub score: Score,
    /// Matching copies of this story (exact or near duplicates) folded into it.
    pub copies: u32,
    pub passages: Vec<PassageHit>,
    pub entities: Entities,
}

/// A facet value and the number of matching articles that mention it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub name: String,
    pub count: u64,
}

/// Counts for one facet kind.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCounts {
    pub kind: EntityKind,
    pub values: Vec<FacetValue>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total_articles: u64,
    pub total_passages: u64,
    pub articles: Vec<ArticleHit>,
    pub facets: Vec<FacetCounts>,
}

/// A passage ranked for an article: its score, address and ordinal.
type Ranked = (Score, DocAddress, u64);

/// One article's matching passages, best first, and its score.
struct Candidate {
    key: u64,
    /// Where its best passage is, to look its id up when a tie needs it.
    first: DocAddress,
    dup_group: u64,
    passages: Vec<Ranked>,
    score: Score,
}

/// One article's ranked passages, its score, and the copies folded into it.
struct Group {
    passages: Vec<Ranked>,
    score: Score,
    copies: u32,
}

/// An open index, ready to answer queries.
pub struct Searcher {
    news: NewsIndex,
    reader: IndexReader,
}

impl Searcher {
    /// Opens the index, and follows it: a commit by another process shows
    /// in the searches made after it (for the server).
    pub fn open(path: &Path) -> Result<Searcher> {
        Searcher::open_with(path, ReloadPolicy::OnCommitWithDelay)
    }

    /// Opens the index as it is now, for a few searches and no more (for a
    /// command): no thread watches it for commits.
    pub fn open_now(path: &Path) -> Result<Searcher> {
        Searcher::open_with(path, ReloadPolicy::Manual)
    }

    fn open_with(path: &Path, reload: ReloadPolicy) -> Result<Searcher> {
        let news = NewsIndex::open(path)?;
        let reader = news
            .index
            .reader_builder()
            .reload_policy(reload)
            .try_into()?;
        Ok(Searcher { news, reader })
    }

    fn fields(&self) -> &Fields {
        &self.news.fields
    }

    /// Parses the user's query, and adds a must-clause per entity filter.
    fn build_query(&self, request: &SearchRequest) -> Result<Box<dyn Query>> {
        if request.query.trim().is_empty() {
            return Err(Error::BadQuery("the query is empty".to_string()));
        }
        let f = self.fields();
        let mut parser = QueryParser::for_index(&self.news.index, vec![f.title, f.text]);
        parser.set_field_boost(f.title, request.rank.title_boost);
        let parsed = match parser.parse_query(&request.query) {
            Ok(parsed) => parsed,
            Err(e) if !request.lenient && looks_malformed(&request.query) => {
                return Err(Error::BadQuery(e.to_string()))
            }
            // Natural text ("Note: prices (again)"): read what can be read.
            Err(_) => parser.parse_query_lenient(&request.query).0,
        };
        let mut analyzer = self.news.index.tokenizer_for_field(f.text)?;
        let proximity =
            rank::proximity_clauses(&request.rank, f.text, &mut analyzer, &request.query);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, parsed)];
        clauses.extend(proximity.into_iter().map(|q| (Occur::Should, q)));
        if request.since.is_some() || request.until.is_some() {
            let bound = |d: Option<Date>| {
                d.map_or(Bound::Unbounded, |d| Bound::Included(date_term(f.date, d)))
            };
            let range = RangeQuery::new(bound(request.since), bound(request.until));
            clauses.push((Occur::Must, Box::new(range)));
        }
        if !request.filters.is_empty() {
            // Entities are on first passages: match those, then widen to their articles.
            let mut named: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (kind, name) in &request.filters {
                let value = self.resolve_entity(*kind, name)?;
                // the entity field is a fast column only: a range of one
                // value is looked up in its dictionary, then scanned for
                let term = || Bound::Included(Term::from_field_text(f.entity, &value));
                named.push((Occur::Must, Box::new(RangeQuery::new(term(), term()))));
            }
            let first = Box::new(BooleanQuery::new(named));
            clauses.push((Occur::Must, Box::new(WholeArticles::new(first))));
        }
        if clauses.len() == 1 {
            return Ok(clauses.remove(0).1);
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The entity field value for an entity filter. An exact name is used as
    /// it is; any other is matched without regard to case against the names
    /// in the index.
    fn resolve_entity(&self, kind: EntityKind, name: &str) -> Result<String> {
        let exact = entity_value(kind, name.trim());
        let searcher = self.reader.searcher();
        // none in a segment without entities (indexed with --no-entities)
        let mut columns = Vec::new();
        for segment in searcher.segment_readers() {
            columns.extend(segment.fast_fields().str(ENTITY)?);
        }
        for column in &columns {
            let ord = column.dictionary().term_ord(&exact);
            if ord.map_err(tantivy::TantivyError::from)?.is_some() {
                return Ok(exact);
            }
        }
        // Any other case: the spellings in the entity dictionaries that match
        // without regard to case. Most names have one; of several, the most
        // mentioned is used.
        let wanted = name.trim().to_lowercase();
        let prefix = entity_value(kind, "");
        let mut spellings: Vec<String> = Vec::new();
        for column in &columns {
            let mut names = column
                .dictionary()
                .prefix_range(&prefix)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while names.advance() {
                let Ok(spelling) = std::str::from_utf8(&names.key()[prefix.len()..]) else {
                    continue;
                };
                let same = if spelling.is_ascii() {
                    spelling.eq_ignore_ascii_case(&wanted)
                } else {
                    spelling.to_lowercase() == wanted
                };
                if same && !spellings.iter().any(|s| s == spelling) {
                    spellings.push(spelling.to_string());
                }
            }
        }
        let found = match spellings.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            _ => self
                .entities(kind, usize::MAX)?
                .into_iter()
                .find(|v| spellings.contains(&v.name))
                .map(|v| v.name),
        };
        Ok(found.map_or(exact, |name| entity_value(kind, &name)))
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let query = self.build_query(request)?;
        let searcher = self.reader.searcher();
        let counter = ArticleCounter::with_kinds(&request.facets, request.facet_limit);
        // Counting every match and ranking the best are independent, so
        // they run side by side, on two cores where there are two.
        let (counts, groups) = rayon::join(
            || searcher.search(&*query, &counter),
            || self.ranked_groups(&searcher, &*query, request),
        );
        let (counts, groups) = (counts?, groups?);

        let mut snippets = SnippetGenerator::create(&searcher, &*query, self.fields().text)?;
        snippets.set_max_num_chars(usize::MAX / 2);
        let articles = groups
            .into_iter()
            .map(|g| self.article_hit(&searcher, &snippets, &g, &request.rank))
            .collect::<Result<Vec<_>>>()?;

        let facets = request
            .facets
            .iter()
            .map(|&kind| FacetCounts {
                kind,
                values: top_values(&counts.entities, kind, request.facet_limit),
            })
            .collect();
        Ok(SearchResults {
            query: request.query.clone(),
            total_articles: counts.articles,
            total_passages: counts.passages,
            articles,
            facets,
        })
    }

    /// The `request.limit` best articles for `query`, each with its
    /// matching passages, best first.
    fn ranked_groups(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        request: &SearchRequest,
    ) -> Result<Vec<Group>> {
        let mut columns = SegmentColumns::new(searcher);
        // Feedback reorders the query's matches; highlights are of the user's words.
        let expansion = if request.rank.feedback > 0.0 && request.sort == SortOrder::Relevance {
            self.expansion(searcher, &mut columns, query, request)?
        } else {
            None
        };

        let limit = request.limit.max(1);
        let mut fetch = (limit * PASSAGES_PER_ARTICLE_FETCHED).max(100);
        // Articles are scored, and show passages, from all their matching
        // passages, not only those fetched to find them.
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let groups = loop {
            let top = match (request.sort, &expansion) {
                (SortOrder::Relevance, None) => top_passages(searcher, &mut columns, query, fetch)?,
                (SortOrder::Relevance, Some(expansion)) => {
                    let pool = fetch * request.rank.feedback_pool.max(1);
                    let mut pool = top_with_ties(searcher, query, pool)?;
                    expansion.rescore(searcher, &mut pool)?;
                    best_first(&mut columns, pool, fetch)?
                }
                (SortOrder::Date, _) => self.newest(searcher, query, fetch)?,
            };
            let mut candidates = candidates(&mut columns, &top)?;
            every_passage(
                searcher,
                &mut columns,
                &*weight,
                expansion.as_ref(),
                &mut candidates,
            )?;
            let groups = fold(candidates, request, limit, |addr| {
                Ok(columns.article_id(addr)?)
            })?;
            let exhausted = top.len() < fetch;
            if groups.len() >= limit || exhausted {
                break groups;
            }
            fetch *= 4;
        };
        Ok(groups)
    }

    /// Pseudo-relevance feedback: words common in the query's best
    /// passages, which reorder (never widen) its matches; None when there
    /// are none.
    fn expansion(
        &self,
        searcher: &tantivy::Searcher,
        columns: &mut SegmentColumns,
        query: &dyn Query,
        request: &SearchRequest,
    ) -> Result<Option<Expansion>> {
        let f = self.fields();
        let config = &request.rank;
        let top = top_passages(searcher, columns, query, config.feedback_passages.max(1))?;
        let mut passages = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            passages.push((score, text_of(&doc, f.text).unwrap_or_default()));
        }
        let mut analyzer = self.news.index.tokenizer_for_field(f.text)?;
        let exclude = rank::query_terms(&mut analyzer, &request.query);
        let docs = searcher.num_docs() as f32;
        let idf = |w: &str| {
            let df = searcher
                .doc_freq(&Term::from_field_text(f.text, w))
                .unwrap_or_default() as f32;
            ((docs - df + 0.5) / (df + 0.5)).ln_1p()
        };
        let terms = rank::feedback_terms(
            &passages,
            &mut analyzer,
            idf,
            &exclude,
            config.feedback_terms,
        );
        if terms.is_empty() {
            return Ok(None);
        }
        let expansion = Expansion::new(searcher, f.text, &terms, config.feedback)?;
        Ok(Some(expansion))
    }

    /// The newest matching passages, each with its score, newest first. Within
    /// one day, better passages come first.
    fn newest(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        fetch: usize,
    ) -> Result<Vec<(Score, DocAddress)>> {
        let by_date =
            TopDocs::with_limit(fetch).order_by_fast_field::<DateTime>(schema::DATE, Order::Desc);
        let dated = searcher.search(query, &by_date)?;
        // Score each fetched passage: run the query over exactly these docs.
        let mut scored: Vec<(Option<DateTime>, Score, DocAddress)> =
            Vec::with_capacity(dated.len());
        let weight = query.weight(tantivy::query::EnableScoring::enabled_from_searcher(
            searcher,
        ))?;
        for (date, addr) in dated {
            let explanation =
                weight.explain(searcher.segment_reader(addr.segment_ord), addr.doc_id);
            let score = rank::stable(explanation.map(|e| e.value()).unwrap_or_default());
            scored.push((date, score, addr));
        }
        scored.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.2.cmp(&b.2))
        });
        Ok(scored
            .into_iter()
            .map(|(_, score, addr)| (score, addr))
            .collect())
    }

    fn article_hit(
        &self,
        searcher: &tantivy::Searcher,
        snippets: &SnippetGenerator,
        group: &Group,
        config: &RankConfig,
    ) -> Result<ArticleHit> {
        let f = self.fields();
        let mut passages = Vec::new();
        let mut first: Option<(TantivyDocument, DocAddress)> = None;
        for (score, addr, _) in shown_passages(&group.passages, config) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = text_of(&doc, f.text).unwrap_or_default();
            passages.push(PassageHit {
                ordinal: u64_of(&doc, f.ordinal),
                score,
                highlights: highlights(snippets, &text),
                start: u64_of(&doc, f.start),
                end: u64_of(&doc, f.end),
                text,
            });
            first.get_or_insert((doc, addr));
        }
        let entities = match &first {
            Some((doc, addr)) => self.article_entities(searcher, doc, *addr)?,
            None => Entities::default(),
        };
        let doc = first.map(|(doc, _)| doc).unwrap_or_default();
        Ok(ArticleHit {
            meta: ArticleMeta::of(&doc, f),
            score: group.score,
            copies: group.copies,
            passages,
            entities,
        })
    }

    /// An article's entities, from its first passage (the only one that
    /// carries them: passage `doc - ordinal` of the same segment).
    fn article_entities(
        &self,
        searcher: &tantivy::Searcher,
        shown: &TantivyDocument,
        addr: DocAddress,
    ) -> Result<Entities> {
        let f = self.fields();
        let ordinal = u64_of(shown, f.ordinal);
        if ordinal == 0 {
            return Ok(entities_of(shown, f.entity));
        }
        let first = DocAddress::new(addr.segment_ord, first_passage(addr.doc_id, ordinal));
        let doc: TantivyDocument = searcher.doc(first)?;
        Ok(entities_of(&doc, f.entity))
    }

    /// The most-mentioned entities of a kind in the whole index, with the
    /// number of articles mentioning each.
    pub fn entities(&self, kind: EntityKind, limit: usize) -> Result<Vec<FacetValue>> {
        let searcher = self.reader.searcher();
        // Each article's first passage stands for the article.
        let first_passages = TermQuery::new(
            Term::from_field_u64(self.fields().ordinal, 0),
            IndexRecordOption::Basic,
        );
        let counts =
            searcher.search(&first_passages, &ArticleCounter::with_kinds(&[kind], limit))?;
        Ok(top_values(&counts.entities, kind, limit))
    }
}

/// Scores candidates (by relevance) or keeps their order (by date), folds
/// each duplicate into the best copy kept unless `all_copies`, and keeps up
/// to `limit` articles. `id_of` names a candidate's article; it is asked
/// only about candidates whose scores tie.
fn fold(
    mut candidates: Vec<Candidate>,
    request: &SearchRequest,
    limit: usize,
    mut id_of: impl FnMut(DocAddress) -> Result<String>,
) -> Result<Vec<Group>> {
    if request.sort == SortOrder::Relevance {
        for c in &mut candidates {
            let scores: Vec<Score> = c.passages.iter().map(|p| p.0).collect();
            c.score = request.rank.article_score(&scores);
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        // Ties go to the first id, so copies of a story fold into the same
        // one however the index is laid out in segments.
        let mut start = 0;
        while start < candidates.len() {
            let score = candidates[start].score;
            let end = start
                + candidates[start..]
                    .iter()
                    .take_while(|c| c.score == score)
                    .count();
            if end - start > 1 {
                let mut tied = Vec::with_capacity(end - start);
                for c in candidates.drain(start..end) {
                    tied.push((id_of(c.first)?, c));
                }
                tied.sort_by(|a, b| a.0.cmp(&b.0));
                candidates.splice(start..start, tied.into_iter().map(|(_, c)| c));
            }
            start = end;
        }
    }
    let mut order: Vec<Group> = Vec::new();
    let mut group_slot: HashMap<u64, usize> = HashMap::new();
    let mut folded: HashSet<u64> = HashSet::new();
    for c in candidates {
        if !request.all_copies {
            if let Some(&i) = group_slot.get(&c.dup_group) {
                if folded.insert(c.key) {
                    order[i].copies += 1;
                }
                continue;
            }
        }
        if order.len() < limit {
            group_slot.insert(c.dup_group, order.len());
            order.push(Group {
                passages: c.passages,
                score: c.score,
                copies: 0,
            });
        }
    }
    Ok(order)
}

/// The passages shown under an article, in display order: the best, then
/// more, up to `shown_passages` in all, that score at least
/// `EXTRA_PASSAGE_MIN_RATIO` of it; the lead passage goes first when it
/// scores at least `lead_ratio` of the best.
fn shown_passages(passages: &[Ranked], config: &RankConfig) -> Vec<Ranked> {
    let Some(&(best, ..)) = passages.first() else {
        return Vec::new();
    };
    let most = config.shown_passages.max(1);
    let mut shown: Vec<Ranked> = passages
        .iter()
        .copied()
        .take(most)
        .take_while(|p| p.0 >= best * EXTRA_PASSAGE_MIN_RATIO)
        .collect();
    let lead = passages
        .iter()
        .position(|p| p.2 == 0 && p.0 >= best * config.lead_ratio);
    if let Some(i) = lead {
        let lead = passages[i];
        shown.retain(|p| p.2 != 0);
        shown.insert(0, lead);
        shown.truncate(most);
    }
    shown
}

/// True when a query the strict parser refused is broken syntax (an
/// unclosed quote or bracket) rather than natural text.
fn looks_malformed(query: &str) -> bool {
    let count = |c: char| query.chars().filter(|&x| x == c).count();
    count('"') % 2 == 1 || count('(') != count(')') || count('[') != count(']')
}

/// The top facet values under a kind: most articles first, then by name.
fn top_values(
    counts: &rustc_hash::FxHashMap<(EntityKind, String), u64>,
    kind: EntityKind,
    limit: usize,
) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = counts
        .iter()
        .filter(|((k, _), _)| *k == kind)
        .map(|((_, name), &count)| FacetValue {
            name: name.clone(),
            count,
        })
        .collect();
    let order =
        |a: &FacetValue, b: &FacetValue| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name));
    if limit < values.len() {
        values.select_nth_unstable_by(limit, order);
        values.truncate(limit);
    }
    values.sort_by(order);
    values
}

/// Byte ranges in `text` of the words the generator's query matches.
fn highlights(snippets: &SnippetGenerator, text: &str) -> Vec<[usize; 2]> {
    let snippet = snippets.snippet(text);
    let offset = snippet.fragment_range().start;
    snippet
        .highlighted()
        .iter()
        .map(|r| [r.start + offset, r.end + offset])
        .collect()
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)?.as_str().map(str::to_string)
}

fn u64_of(doc: &TantivyDocument, field: Field) -> u64 {
    doc.get_first(field)
        .and_then(|v| v.as_u64())
        .unwrap_or_default()
}

fn date_of(doc: &TantivyDocument, field: Field) -> Option<Date> {
    Some(schema::date_of_value(doc.get_first(field)?.as_datetime()?))
}

fn entities_of(doc: &TantivyDocument, field: Field) -> Entities {
    let mut entities = Entities::default();
    for value in doc.get_all(field) {
        if let Some((kind, name)) = value.as_str().and_then(parse_entity_value) {
            entities.of_kind_mut(kind).push(name.to_string());
        }
    }
    entities
}

/// Groups ranked passages by article, in order of each article's best
/// passage, keeping every fetched passage of each.
fn candidates(columns: &mut SegmentColumns, top: &[(Score, DocAddress)]) -> Result<Vec<Candidate>> {
    let mut order: Vec<Candidate> = Vec::new();
    let mut slot: HashMap<u64, usize> = HashMap::new();
    for &(score, addr) in top {
        let c = columns.of(addr.segment_ord)?;
        let key = c.keys.first(addr.doc_id).unwrap_or_default();
        let ordinal = c.ordinals.first(addr.doc_id).unwrap_or_default();
        match slot.entry(key) {
            Entry::Occupied(e) => order[*e.get()].passages.push((score, addr, ordinal)),
            Entry::Vacant(e) => {
                e.insert(order.len());
                order.push(Candidate {
                    key,
                    first: addr,
                    dup_group: c.groups.first(addr.doc_id).unwrap_or(key),
                    passages: vec![(score, addr, ordinal)],
                    score,
                });
            }
        }
    }
    Ok(order)
}

/// Replaces each candidate's fetched passages with all of its article's
/// matching passages, best first (equal scores by ordinal), as `weight` scores
/// them. An article's passages are consecutive documents of one segment, from
/// `doc - ordinal` up to the next first passage, so one scorer per segment
/// visits the articles in document order.
fn every_passage(
    searcher: &tantivy::Searcher,
    columns: &mut SegmentColumns,
    weight: &dyn Weight,
    expansion: Option<&Expansion>,
    candidates: &mut [Candidate],
) -> Result<()> {
    let start_of = |c: &Candidate| {
        let (_, addr, ordinal) = c.passages[0];
        (addr.segment_ord, first_passage(addr.doc_id, ordinal))
    };
    let mut order: Vec<usize> = (0..candidates.len())
        .filter(|&i| !candidates[i].passages.is_empty())
        .collect();
    order.sort_by_key(|&i| start_of(&candidates[i]));
    type Open = (SegmentOrdinal, Box<dyn Scorer>, Option<SegmentExpansion>);
    let mut open: Option<Open> = None;
    for i in order {
        let (segment_ord, start) = start_of(&candidates[i]);
        let segment = searcher.segment_reader(segment_ord);
        let ordinals = &columns.of(segment_ord)?.ordinals;
        if open.as_ref().is_none_or(|o| o.0 != segment_ord) {
            let feedback = expansion.map(|e| e.segment(segment)).transpose()?;
            open = Some((segment_ord, weight.scorer(segment, 1.0)?, feedback));
        }
        let Some((_, scorer, feedback)) = open.as_mut() else {
            continue;
        };
        let docs = article_docs(ordinals, start, segment.max_doc());
        let mut doc = scorer.doc();
        if doc < docs.start {
            doc = scorer.seek(docs.start);
        }
        let mut all = Vec::new();
        while doc < docs.end {
            if !segment.is_deleted(doc) {
                let ordinal = ordinals.first(doc).unwrap_or_default();
                let extra = feedback.as_mut().map_or(0.0, |f| f.score(doc));
                all.push((
                    rank::stable(scorer.score()) + extra,
                    DocAddress::new(segment_ord, doc),
                    ordinal,
                ));
            }
            doc = scorer.advance();
        }
        if !all.is_empty() {
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
            candidates[i].passages = all;
        }
    }
    Ok(())
}

/// The `n` best passages for `query`, best first. Equal scores (copies of a
/// story score alike) are ordered by article key and passage ordinal, not by
/// where a build happened to put the documents, so the same corpus always
/// gives the same results: enough passages are fetched to hold every
/// passage that ties with the `n`-th.
fn top_passages(
    searcher: &tantivy::Searcher,
    columns: &mut SegmentColumns,
    query: &dyn Query,
    n: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let top = top_with_ties(searcher, query, n)?;
    best_first(columns, top, n)
}

/// The `n` best passages for `query`, best first, and every passage that
/// ties with the `n`-th: the same set however a build laid out the
/// documents.
fn top_with_ties(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    n: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let mut extra = 16;
    loop {
        let want = n + extra;
        let mut top = searcher.search(query, &TopDocs::with_limit(want).order_by_score())?;
        for passage in &mut top {
            passage.0 = rank::stable(passage.0);
        }
        let ties_beyond = top.len() == want && n > 0 && top[n - 1].0 <= top[want - 1].0;
        if !ties_beyond {
            if let Some(&(cut, _)) = top.get(n.max(1) - 1) {
                top.retain(|p| p.0 >= cut);
            }
            return Ok(top);
        }
        extra *= 4;
    }
}

/// The `n` best of scored passages, equal scores ordered by article key and
/// passage ordinal.
fn best_first(
    columns: &mut SegmentColumns,
    top: Vec<(Score, DocAddress)>,
    n: usize,
) -> Result<Vec<(Score, DocAddress)>> {
    let mut keyed = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let c = columns.of(addr.segment_ord)?;
        let stable = (c.keys.first(addr.doc_id), c.ordinals.first(addr.doc_id));
        keyed.push((score, stable, addr));
    }
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    keyed.truncate(n);
    Ok(keyed
        .into_iter()
        .map(|(score, _, addr)| (score, addr))
        .collect())
}
