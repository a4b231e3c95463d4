//! Word lists the extractor leans on: titles and honorifics, demonyms,
//! well-known places, and the words that mark an organisation. All lookups are
//! case-insensitive on a lowercased key.

/// Titles, honorifics and job words that stand before a person's name and
/// are never part of it.
const TITLE_WORDS: &[&str] = &[
    "president", "vice", "prime", "minister", "secretary", "envoy", "special", "mr", "mrs", "ms",
    "miss", "dr", "sir", "dame", "lord", "lady", "senator", "sen", "rep", "representative",
    "governor", "gov", "chancellor", "king", "queen", "prince", "princess", "pope", "general",
    "gen", "colonel", "col", "lieutenant", "lt", "major", "maj", "captain", "capt", "sergeant",
    "admiral", "commander", "chairman", "chairwoman", "chair", "chief", "executive", "ceo",
    "judge", "justice", "mayor", "professor", "prof", "aide", "adviser", "advisor", "spokesman",
    "spokeswoman", "spokesperson", "coach", "manager", "ambassador", "commissioner", "director",
    "premier", "speaker", "rev", "reverend", "rabbi", "sheikh", "ayatollah", "cardinal", "bishop",
    "archbishop", "deputy", "foreign", "defence", "defense", "interior", "finance", "economy",
    "trade", "economic", "senior", "former", "acting", "leader", "chief", "head", "officer",
    "emperor", "sultan", "emir", "crown", "sen.", "mr.", "mrs.", "ms.", "dr.", "gov.", "gen.",
    "prof.", "rep.", "lt.", "col.", "capt.", "maj.", "rev.", "st.", "saint", "striker",
    "midfielder", "defender", "goalkeeper", "batsman", "bowler", "champion", "star", "actor",
    "actress", "singer", "director", "producer", "analyst", "economist", "negotiator",
    "spokesman", "press", "of", "state", "the", "u.s.", "us", "uk", "u.k.", "un", "u.n.",
    "national", "security", "attorney", "auditor", "treasurer", "comptroller", "congressman",
    "congresswoman", "mp", "mep",
];

/// Words that mark an organisation when they end (or sit in) a name.
const ORG_WORDS: &[&str] = &[
    "agency", "council", "ministry", "department", "party", "bank", "inc", "inc.", "corp",
    "corp.", "corporation", "co", "co.", "ltd", "ltd.", "plc", "llc", "group", "union",
    "university", "association", "commission", "committee", "parliament", "congress", "senate",
    "court", "army", "navy", "police", "fund", "institute", "foundation", "company", "companies",
    "airlines", "airways", "motors", "holdings", "industries", "systems", "technologies",
    "partners", "exchange", "federation", "league", "club", "organisation", "organization",
    "office", "board", "authority", "service", "services", "times", "post", "news", "press",
    "journal", "network", "television", "radio", "records", "studios", "pictures", "trust",
    "securities", "capital", "investments", "petroleum", "oil", "energy", "telecom", "reserve",
    "assembly", "cabinet", "government", "administration", "alliance", "front", "movement",
    "brigade", "forces", "guard", "school", "college", "hospital", "church", "museum", "team",
    "united", "city", "rovers", "wanderers", "athletic", "fc",
];

/// Organisations known by name alone (lowercased).
const ORG_NAMES: &[&str] = &[
    "tass", "reuters", "nato", "bbc", "cnn", "kremlin", "pentagon", "opec", "fbi", "cia",
    "interfax", "ria", "afp", "ap", "eu", "imf", "who", "wto", "fifa", "uefa", "microsoft",
    "google", "apple", "amazon", "facebook", "meta", "twitter", "nasdaq", "ibm", "intel",
    "toyota", "sony", "nintendo", "labour", "conservatives", "tories", "hamas", "hezbollah",
    "taliban", "gazprom", "rosneft", "boeing", "airbus", "ofcom", "ofgem", "nhs", "unicef",
    "unesco", "ecb", "fed", "sec", "gatt", "ec", "ussr",
];

/// Adjectives of nationality; never entities on their own.
const DEMONYMS: &[&str] = &[
    "russian", "ukrainian", "american", "british", "english", "french", "german", "italian",
    "spanish", "chinese", "japanese", "korean", "indian", "pakistani", "iranian", "iraqi",
    "israeli", "palestinian", "syrian", "turkish", "greek", "polish", "dutch", "belgian",
    "swiss", "swedish", "norwegian", "danish", "finnish", "irish", "scottish", "welsh",
    "canadian", "mexican", "brazilian", "argentine", "argentinian", "chilean", "colombian",
    "australian", "african", "european", "asian", "arab", "egyptian", "saudi", "afghan",
    "soviet", "western", "eastern", "northern", "southern", "belarusian", "georgian",
    "hungarian", "czech", "austrian", "portuguese", "nigerian", "kenyan", "venezuelan",
    "cuban", "vietnamese", "thai", "indonesian", "filipino", "malaysian", "lebanese",
    "jordanian", "yemeni", "libyan", "sudanese", "ethiopian", "somali", "serbian", "croatian",
    "bosnian", "romanian", "bulgarian", "lithuanian", "latvian", "estonian", "moldovan",
    "kazakh", "uzbek", "taiwanese", "tibetan", "kurdish", "muslim", "christian", "jewish",
    "catholic", "protestant", "sunni", "shia", "shiite", "islamic", "democrat", "republican",
    "democrats", "republicans", "russians", "ukrainians", "americans", "europeans",
    "russian–american", "russian-american",
];

/// Well-known places (lowercased): countries, regions and large cities.
const PLACES: &[&str] = &[
    "afghanistan", "albania", "algeria", "angola", "argentina", "armenia", "australia",
    "austria", "azerbaijan", "bahrain", "bangladesh", "belarus", "belgium", "bolivia", "bosnia",
    "brazil", "bulgaria", "cambodia", "cameroon", "canada", "chile", "china", "colombia",
    "congo", "croatia", "cuba", "cyprus", "czech republic", "denmark", "ecuador", "egypt",
    "england", "estonia", "ethiopia", "europe", "finland", "france", "georgia", "germany",
    "ghana", "greece", "hungary", "iceland", "india", "indonesia", "iran", "iraq", "ireland",
    "israel", "italy", "japan", "jordan", "kazakhstan", "kenya", "kosovo", "kuwait", "latvia",
    "lebanon", "libya", "lithuania", "luxembourg", "malaysia", "mexico", "moldova", "mongolia",
    "morocco", "netherlands", "holland", "new zealand", "nigeria", "north korea", "norway",
    "pakistan", "palestine", "panama", "peru", "philippines", "poland", "portugal", "qatar",
    "romania", "russia", "rwanda", "saudi arabia", "scotland", "serbia", "singapore",
    "slovakia", "slovenia", "somalia", "south africa", "south korea", "spain", "sri lanka",
    "sudan", "sweden", "switzerland", "syria", "taiwan", "thailand", "tunisia", "turkey",
    "uganda", "ukraine", "united kingdom", "united states", "uruguay", "uzbekistan",
    "venezuela", "vietnam", "wales", "yemen", "zimbabwe", "britain", "great britain", "u.s.",
    "us", "usa", "uk", "u.k.", "america", "africa", "asia", "middle east", "gaza",
    "west bank", "crimea", "donbas", "donbass", "donetsk", "luhansk", "kyiv", "kiev", "moscow",
    "washington", "london", "paris", "berlin", "rome", "madrid", "brussels", "beijing",
    "tokyo", "new york", "los angeles", "chicago", "miami", "boston", "san francisco",
    "hong kong", "shanghai", "delhi", "new delhi", "mumbai", "sydney", "melbourne", "toronto",
    "geneva", "zurich", "vienna", "warsaw", "prague", "budapest", "istanbul", "ankara",
    "tehran", "baghdad", "damascus", "jerusalem", "tel aviv", "cairo", "riyadh", "dubai",
    "doha", "kabul", "islamabad", "karachi", "seoul", "pyongyang", "manila", "jakarta",
    "bangkok", "singapore", "frankfurt", "amsterdam", "stockholm", "oslo", "copenhagen",
    "helsinki", "dublin", "edinburgh", "glasgow", "manchester", "liverpool", "birmingham",
    "leeds", "cardiff", "belfast", "texas", "california", "florida", "ohio", "michigan",
    "illinois", "alaska", "hawaii", "scandinavia", "siberia", "caribbean", "pacific",
    "atlantic", "mediterranean", "baltic", "balkans", "latin america", "north america",
    "south america", "white house", "downing street", "wall street", "st petersburg",
    "kharkiv", "odesa", "odessa", "mariupol", "zaporizhzhia", "kherson", "minsk", "tbilisi",
];

fn contains(list: &[&str], word: &str) -> bool {
    let lower = word.to_lowercase();
    list.contains(&lower.as_str())
}

pub fn is_title_word(word: &str) -> bool {
    contains(TITLE_WORDS, word.trim_end_matches('.')) || contains(TITLE_WORDS, word)
}

pub fn is_org_word(word: &str) -> bool {
    contains(ORG_WORDS, word)
}

pub fn is_org_name(name: &str) -> bool {
    contains(ORG_NAMES, name)
}

pub fn is_demonym(word: &str) -> bool {
    contains(DEMONYMS, word)
}

pub fn is_place(name: &str) -> bool {
    contains(PLACES, name)
}
