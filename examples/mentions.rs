//! Prints the tagger's raw mentions for a file: `cargo run --example mentions FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: mentions FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{path}: {err}");
            std::process::exit(2);
        }
    };
    for m in newsdex::ner::Tagger::embedded().mentions(&text) {
        println!("{:?}\t{}", m.kind, &text[m.start..m.end]);
    }
}
