//! The `newsdex` binary: parse arguments, run the command, print any error
//! once, and exit with the command's code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use newsdex::cli::Cli;
use newsdex::commands::{self, EXIT_ERROR};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line: clap's message and its hint, without the usage block.
            let text = e.to_string();
            let line: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.is_empty())
                .collect();
            eprintln!("newsdex: {}", line.join(" ").trim_start_matches("error: "));
            return ExitCode::from(EXIT_ERROR as u8);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut err = std::io::stderr();
    let code = match commands::run(cli, &mut out, &mut err) {
        Ok(code) => code,
        Err(newsdex::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
        }
        Err(e) => {
            let _ = writeln!(err, "newsdex: {e}");
            EXIT_ERROR
        }
    };
    let _ = out.flush();
    ExitCode::from(code as u8)
}
