//! Turning a file's bytes into text: UTF-8 as it is, anything else decoded as
//! Windows-1252 (which covers Latin-1), and binary files refused.

/// Text decoded from bytes, and whether the fallback encoding was used.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub fallback: bool,
}

/// How many leading bytes are checked for NUL when sniffing for binary data.
const SNIFF_LEN: usize = 8192;

/// Decodes article bytes. Errors say why the bytes are not an article.
///
/// ```
/// use newsdex::ingest::decode;
/// let latin1 = decode(b"costs \xa3300").unwrap();
/// assert_eq!(latin1.text, "costs £300");
/// assert!(latin1.fallback);
/// assert_eq!(decode(b"\x00\x01ELF").unwrap_err(), "binary file");
/// assert_eq!(decode(b"\xFF\xFEh\x00i\x00").unwrap().text, "hi");
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, &'static str> {
    // A byte-order mark names the encoding (UTF-8, or UTF-16 with its NULs).
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded {
            text: text.into_owned(),
            fallback: false,
        });
    }
    if bytes[..bytes.len().min(SNIFF_LEN)].contains(&0) {
        return Err("binary file");
    }
    let decoded = match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_string(),
            fallback: false,
        },
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Decoded {
                text: text.into_owned(),
                fallback: true,
            }
        }
    };
    Ok(decoded)
}
