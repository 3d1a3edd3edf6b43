//! Reads frozenpack values from stdin as they arrive and writes each one back to stdout,
//! re-encoded, as soon as it is complete: the Rust half of the cross-language pipe test
//! (`codec-py/tests/test_stream_pipe.py`, `make test-stream-pipe`).
//!
//! ```sh
//! cargo run -p frozenpack --example stream_echo -- reader   # stream::ValueReader over stdin
//! cargo run -p frozenpack --example stream_echo -- push     # stream::PushDecoder fed raw reads
//! ```
//!
//! At the end of stdin it exits 0; on a decode error it writes the error to stderr (kind,
//! offset from the first octet of stdin, detail) and exits 2, after echoing every value
//! before it.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use frozenpack::stream::{PushDecoder, StreamError, ValueReader};
use frozenpack::Value;

fn echo(out: &mut impl Write, value: &Value<'_>) -> io::Result<()> {
    out.write_all(&frozenpack::encode_value(value))?;
    out.flush()
}

fn with_reader(out: &mut impl Write) -> Result<(), StreamError> {
    for value in ValueReader::new(io::stdin().lock()) {
        echo(out, &value?)?;
    }
    Ok(())
}

fn with_push_decoder(out: &mut impl Write) -> Result<(), StreamError> {
    let mut stdin = io::stdin().lock();
    let mut decoder = PushDecoder::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        match stdin.read(&mut buffer) {
            Ok(0) => decoder.finish(),
            Ok(n) => decoder.feed(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
        for value in decoder.values() {
            echo(out, &value?)?;
        }
        if decoder.is_finished() {
            return Ok(());
        }
    }
}

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let mut out = io::stdout().lock();
    let result = match mode.as_str() {
        "reader" => with_reader(&mut out),
        "push" => with_push_decoder(&mut out),
        _ => {
            eprintln!("usage: stream_echo reader|push");
            return ExitCode::from(64);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(StreamError::Decode(e)) => {
            eprintln!("stream_echo: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("stream_echo: {e}");
            ExitCode::from(1)
        }
    }
}
