//! The Content-Security-Policy of the map's pages (`/`, `/embed`): scripts from this site and
//! the inline ones Leptos writes with the page's nonce, the WASM, images from the tile server
//! configured by `karta serve --tiles-url`; the map refuses to be framed, `/embed` may be.

/// The policy of a page whose inline scripts carry `nonce`; `tiles_url` is the XYZ template of
/// the raster tiles, whose origin images may come from.
pub fn page_policy(nonce: &str, embed: bool, tiles_url: Option<&str>) -> String {
    let tiles = tiles_url
        .and_then(tile_origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    // Style attributes (`style="background: …"`) need 'unsafe-inline' for styles, not scripts.
    let frames = if embed { "*" } else { "'none'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {frames}"
    )
}

/// The origin of a tile URL template as a CSP source (`https://tile.openstreetmap.org`); a
/// `{s}` subdomain becomes `*`. `None` when the template has no `scheme://host`.
fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty())?;
    let host = host.replace("{s}", "*");
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*');
    (scheme.chars().all(|c| c.is_ascii_alphabetic()) && host.chars().all(valid))
        .then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_nonce_the_tiles_and_the_frames() {
        let map = page_policy(
            "abc",
            false,
            Some("https://{s}.tile.example:8080/{z}/{x}/{y}.png"),
        );
        assert!(
            map.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"),
            "{map}"
        );
        assert!(
            map.contains("img-src 'self' data: blob: https://*.tile.example:8080;"),
            "{map}"
        );
        assert!(map.ends_with("frame-ancestors 'none'"), "{map}");
        let embed = page_policy("abc", true, None);
        assert!(embed.contains("img-src 'self' data: blob:;"), "{embed}");
        assert!(embed.ends_with("frame-ancestors *"), "{embed}");
        assert_eq!(tile_origin("tiles/{z}/{x}/{y}.png"), None);
        assert_eq!(tile_origin("https://a b/{z}"), None);
    }
}
