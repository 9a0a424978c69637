//! The main text of an article page, found by `dom_smoothie` (a port of Mozilla's
//! Readability): the body of the story without menus, links and footers.

use dom_smoothie::{Config, Readability, TextMode};

/// An article page with no main text to find.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The page could not be read as an article.
    #[error("no article in the page: {0}")]
    Unreadable(#[from] dom_smoothie::ReadabilityError),
    /// The page's article has no text.
    #[error("the page's article has no text")]
    Empty,
}

/// The main text of the HTML page at `url`, paragraphs kept.
pub fn main_text(html: &str, url: &str) -> Result<String, ArticleError> {
    let config = Config {
        text_mode: TextMode::Formatted,
        // Bounds the work on a huge page; a news story has far fewer elements.
        max_elements_to_parse: 20_000,
        ..Config::default()
    };
    let article = Readability::new(html, Some(url), Some(config))?.parse()?;
    let text = article.text_content.trim().to_owned();
    if text.is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_story_is_kept_and_the_menu_left() {
        let story = "Les forces azerbaïdjanaises ont bombardé Stepanakert le 4 octobre, selon le \
                     ministère arménien de la Défense. ";
        let html = format!(
            "<html><head><title>Frappe</title></head><body>\
             <nav><a href='/'>Accueil</a> <a href='/monde'>Monde</a></nav>\
             <article><h1>Frappe</h1><p>{}</p><p>{}</p></article>\
             <footer>© Journal</footer></body></html>",
            story.repeat(4),
            story.repeat(3)
        );
        let text = main_text(&html, "http://127.0.0.1:9/a/1").expect("an article");
        assert!(text.contains("bombardé Stepanakert"), "{text}");
        assert!(!text.contains("Accueil"), "{text}");
    }
}
