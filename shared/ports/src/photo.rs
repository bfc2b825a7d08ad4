//! 考生照片的规格: standard small one-inch photos — JPG or PNG by content,
//! at most 5 MB, 295×413 pixels, red background. The rule is the same for
//! the candidate's upload, the photo zip and the identity check.

use image::{GenericImageView, ImageFormat};

pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
pub const WIDTH: u32 = 295;
pub const HEIGHT: u32 = 413;

/// The photo's format, from its first bytes (never from a file name).
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else {
        None
    }
}

fn is_red(p: image::Rgba<u8>) -> bool {
    let [r, g, b, _] = p.0;
    r >= 150 && r as i32 - g as i32 >= 60 && r as i32 - b as i32 >= 60
}

/// Checks a photo; the error is the reason to show.
pub fn check(bytes: &[u8]) -> Result<ImageFormat, String> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err("照片大小须在5M以内".into());
    }
    let format = sniff(bytes).ok_or_else(|| "照片须为 JPG 或 PNG 格式".to_string())?;
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(4000);
    limits.max_image_height = Some(4000);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|_| "照片已损坏，无法读取".to_string())?;
    let (w, h) = img.dimensions();
    if (w, h) != (WIDTH, HEIGHT) {
        return Err(format!("照片像素须为{WIDTH}×{HEIGHT}（当前{w}×{h}）"));
    }
    // The background shows along the top and the sides (the bottom is clothing).
    let band = 4;
    let mut red = 0u32;
    let mut seen = 0u32;
    for y in 0..h {
        for x in 0..w {
            if y < band || x < band || x >= w - band {
                seen += 1;
                red += u32::from(is_red(img.get_pixel(x, y)));
            }
        }
    }
    if red * 10 < seen * 9 {
        return Err("照片底色须为红色".into());
    }
    Ok(format)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A photo of the given size with a red (or blue) background and a
    /// grey "person" in the middle.
    pub fn photo(w: u32, h: u32, red: bool, format: ImageFormat) -> Vec<u8> {
        let bg = if red {
            image::Rgb([210, 20, 30])
        } else {
            image::Rgb([30, 90, 200])
        };
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            if x > w / 4 && x < 3 * w / 4 && y > h / 5 {
                image::Rgb([120, 120, 120])
            } else {
                bg
            }
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    #[test]
    fn standard_photos_pass_and_others_say_why() {
        assert_eq!(
            check(&photo(295, 413, true, ImageFormat::Jpeg)),
            Ok(ImageFormat::Jpeg)
        );
        assert_eq!(
            check(&photo(295, 413, true, ImageFormat::Png)),
            Ok(ImageFormat::Png)
        );
        assert_eq!(
            check(&photo(295, 413, false, ImageFormat::Jpeg)).unwrap_err(),
            "照片底色须为红色"
        );
        assert_eq!(
            check(&photo(300, 400, true, ImageFormat::Jpeg)).unwrap_err(),
            "照片像素须为295×413（当前300×400）"
        );
        assert_eq!(
            check(b"GIF89a....").unwrap_err(),
            "照片须为 JPG 或 PNG 格式"
        );
        let mut broken = photo(295, 413, true, ImageFormat::Png);
        broken.truncate(200);
        assert_eq!(check(&broken).unwrap_err(), "照片已损坏，无法读取");
        assert_eq!(
            check(&vec![0xFF; MAX_PHOTO_BYTES + 1]).unwrap_err(),
            "照片大小须在5M以内"
        );
    }
}
