//! The setup QR code: QR symbol from the `qrcode` crate (ECC level Q), drawn as QRCoder does
//! (4 px per module, 4-module quiet zone) into a 1-bit grayscale PNG, returned as a data URI.
//! The PNG uses stored (uncompressed) deflate blocks: valid for every decoder and no
//! compression dependency.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use qrcode::{Color, EcLevel, QrCode};

const PIXELS_PER_MODULE: usize = 4;
const QUIET_ZONE_MODULES: usize = 4;

/// `data:image/png;base64,…` of the QR code for `text`; `None` if it does not fit a QR symbol.
pub(crate) fn png_data_uri(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::Q).ok()?;
    Some(format!("data:image/png;base64,{}", STANDARD.encode(render_png(&code))))
}

fn render_png(code: &QrCode) -> Vec<u8> {
    let modules = code.width();
    let colors = code.to_colors();
    let size = (modules + 2 * QUIET_ZONE_MODULES) * PIXELS_PER_MODULE;
    let row_bytes = size.div_ceil(8);
    let mut raw = Vec::with_capacity((row_bytes + 1) * size);
    for y in 0..size {
        raw.push(0); // filter type None
        let mut row = vec![0u8; row_bytes];
        for x in 0..size {
            if !is_dark(&colors, modules, x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE) {
                row[x / 8] |= 0x80 >> (x % 8); // 1 = white in 1-bit grayscale
            }
        }
        raw.extend_from_slice(&row);
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(size as u32).to_be_bytes());
    ihdr.extend_from_slice(&(size as u32).to_be_bytes());
    ihdr.extend_from_slice(&[1, 0, 0, 0, 0]); // bit depth 1, grayscale, deflate, no filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    write_chunk(&mut png, b"IHDR", &ihdr);
    write_chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    write_chunk(&mut png, b"IEND", &[]);
    png
}

/// Module (x, y) of the padded symbol; the quiet zone is light.
fn is_dark(colors: &[Color], modules: usize, x: usize, y: usize) -> bool {
    let (Some(x), Some(y)) = (x.checked_sub(QUIET_ZONE_MODULES), y.checked_sub(QUIET_ZONE_MODULES)) else {
        return false;
    };
    x < modules && y < modules && colors[y * modules + x] == Color::Dark
}

fn write_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored deflate blocks (at most 65535 bytes each).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(0xffff).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none())); // BFINAL on the last block, BTYPE 00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    /// Decodes the PNG again (chunk CRCs, stored blocks, Adler-32) and compares every pixel
    /// with the QR symbol, so the image really carries the URI.
    #[test]
    fn png_round_trip() {
        let uri = "otpauth://totp/localhost:setup@example.com?secret=LJVTCTSWGJYEOYSV&issuer=localhost";
        let data_uri = png_data_uri(uri).unwrap();
        let png = STANDARD.decode(data_uri.strip_prefix("data:image/png;base64,").unwrap()).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

        let mut pos = 8;
        let mut chunks = Vec::new();
        while pos < png.len() {
            let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
            let body = &png[pos + 4..pos + 8 + len];
            let crc = u32::from_be_bytes(png[pos + 8 + len..pos + 12 + len].try_into().unwrap());
            assert_eq!(crc32(body), crc);
            chunks.push((body[..4].to_vec(), body[4..].to_vec()));
            pos += 12 + len;
        }
        let kinds: Vec<&[u8]> = chunks.iter().map(|(k, _)| k.as_slice()).collect();
        assert_eq!(kinds, [b"IHDR".as_slice(), b"IDAT", b"IEND"]);
        let size = u32::from_be_bytes(chunks[0].1[..4].try_into().unwrap()) as usize;

        let zlib = &chunks[1].1;
        let mut raw = Vec::new();
        let mut i = 2;
        loop {
            let last = zlib[i] & 1 == 1;
            let len = u16::from_le_bytes([zlib[i + 1], zlib[i + 2]]) as usize;
            raw.extend_from_slice(&zlib[i + 5..i + 5 + len]);
            i += 5 + len;
            if last {
                break;
            }
        }
        assert_eq!(u32::from_be_bytes(zlib[i..i + 4].try_into().unwrap()), adler32(&raw));

        let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::Q).unwrap();
        assert_eq!(size, (code.width() + 8) * 4);
        let colors = code.to_colors();
        let row_bytes = size.div_ceil(8);
        for y in 0..size {
            let row = &raw[y * (row_bytes + 1)..(y + 1) * (row_bytes + 1)];
            assert_eq!(row[0], 0);
            for x in 0..size {
                let white = row[1 + x / 8] & (0x80 >> (x % 8)) != 0;
                assert_eq!(!white, is_dark(&colors, code.width(), x / 4, y / 4));
            }
        }
        assert!(is_dark(&colors, code.width(), 4, 4), "finder pattern corner is dark");
    }
}
