/*!
Places for karta: the GeoNames-format importer, the compact index, reverse lookup and the
multilingual geoparser that finds places in text.

A [`Gazetteer`] opens a compact index file, built from the GeoNames dump format by
[`build_index`], and answers three questions: which places a name may mean, what is at a
point, and which places a text names and which place each is. It is `Send + Sync`: open it once
and share it (`Arc<Gazetteer>`).

# Brief overview

- [`Gazetteer::lookup`] and [`Gazetteer::search`] give the [`Candidate`]s of a name or a prefix,
  ranked by prior likelihood; [`Gazetteer::place`] a [`Place`] by GeoNames id, which
  [`Place::display_name`] names as English news do (Stepanakert, not GeoNames' Khankendi).
- [`Gazetteer::reverse`] gives the nearest populated place, the country and the first-level
  division at a [`geo::Point`] (longitude, latitude), as a [`ReverseResult`].
- [`Gazetteer::geoparse`] finds the [`Mention`]s of a text, each resolved to a place with a
  calibrated score whose inputs are its [`Features`]; [`GeoparseOptions`] sets the language,
  the threshold and how many alternatives to keep.
- [`build_index`] reads a GeoNames dump folder and writes an index file ([`BuildReport`]).
- [`AsciiClasses`] and [`HIGH_BITS`] read eight bytes of text at a time, as the geoparser's
  folding does; `extract` splits its sentences with them.

# Example

Geoparse a French sentence naming Stepanakert (Khankendi, GeoNames 146970):

```
use gazetteer::{Gazetteer, GeoparseOptions, MentionKind};
let gaz = Gazetteer::open_default()?;
let options = GeoparseOptions { lang: Some("fr".into()), ..GeoparseOptions::default() };
let mentions = gaz.geoparse("Les forces arméniennes ont bombardé Stepanakert.", &options);
let stepanakert = mentions.iter().find(|m| m.text == "Stepanakert").expect("found");
assert_eq!(stepanakert.place.id, 146970);
assert_eq!(stepanakert.kind, MentionKind::Toponym);
# Ok::<(), gazetteer::Error>(())
```
*/

#![deny(missing_docs)]

pub use crate::error::{Error, Result};
pub use crate::fold::{AsciiClasses, HIGH_BITS};
pub use crate::import::{BuildReport, build_index};
pub use crate::model::{
    Candidate, Features, GeoparseOptions, Mention, MentionKind, NameKind, Place, PlaceKind,
};
pub use crate::other_names::OtherName;
pub use crate::reverse::ReverseResult;

mod bytes;
mod calibrate;
mod clubs;
mod english;
mod error;
mod first_words;
mod fold;
mod geonames;
mod import;
mod index;
mod inflect;
mod model;
mod other_names;
mod prior;
mod recognize;
mod resolve;
mod reverse;
mod word_filter;
mod words;

use index::Index;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Environment variable that names the index file to use instead of the shipped one.
pub const INDEX_ENV: &str = "KARTA_GAZETTEER";

/// An opened gazetteer.
pub struct Gazetteer {
    index: Index,
    path: PathBuf,
    rtree: OnceLock<reverse::PlaceTree>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("path", &self.path)
            .field("places", &self.index.len())
            .finish()
    }
}

impl Gazetteer {
    /// Opens an index file written by [`build_index`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        Ok(Self {
            index: Index::open(path)?,
            path: path.to_owned(),
            rtree: OnceLock::new(),
        })
    }

    /// The index file used when none is named: `$KARTA_GAZETTEER` if set, else the one shipped
    /// in the repository (`gazetteer/data/karta.gaz`).
    pub fn default_path() -> PathBuf {
        match std::env::var_os(INDEX_ENV) {
            Some(p) if !p.is_empty() => PathBuf::from(p),
            _ => Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data")
                .join("karta.gaz"),
        }
    }

    /// Opens the index at [`Gazetteer::default_path`].
    pub fn open_default() -> Result<Self> {
        Self::open(Self::default_path())
    }

    /// The file this gazetteer was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the gazetteer holds no place.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The metadata recorded when the index was built (JSON).
    pub fn meta(&self) -> &str {
        self.index.meta()
    }

    /// The place with a GeoNames id.
    pub fn place(&self, id: u32) -> Option<Place> {
        self.index.find_id(id).map(|i| self.index.record(i).place())
    }

    /// The other names of the place with a GeoNames id, in every language and script the
    /// gazetteer records (spelled as [`OtherName`] says); `None` when there is no such place.
    ///
    /// ```no_run
    /// let gaz = gazetteer::Gazetteer::open_default()?;
    /// // Stepanakert (GeoNames' Khankendi): Xankandi, Степанакерт, Ստեփանակերտ, …
    /// for name in gaz.other_names(146_970).unwrap_or_default() {
    ///     println!("{} {:?}", name.name, name.langs);
    /// }
    /// # Ok::<(), gazetteer::Error>(())
    /// ```
    pub fn other_names(&self, id: u32) -> Option<Vec<OtherName>> {
        let i = self.index.find_id(id)?;
        Some(other_names::other_names(
            &self.index,
            u32::try_from(i).ok()?,
        ))
    }

    /// The first-level division (state, province) that contains a place, when known.
    pub fn admin1_of(&self, place: &Place) -> Option<Place> {
        let i = self.index.find_id(place.id)?;
        let a = self.index.record(i).admin1_place;
        (a != u32::MAX).then(|| self.index.record(a as usize).place())
    }

    /// The country a place lies in, when the gazetteer has it.
    pub fn country_of(&self, place: &Place) -> Option<Place> {
        self.index
            .country(&place.country)
            .map(|i| self.index.record(i).place())
    }

    /// The places a name may mean, most likely first, with their priors.
    ///
    /// `lang` (ISO 639-1) favours names recorded in that language.
    pub fn lookup(&self, name: &str, lang: Option<&str>) -> Vec<Candidate> {
        prior::candidates(&self.index, &fold::fold(name), lang)
            .into_iter()
            .map(|c| c.into_candidate(&self.index))
            .collect()
    }

    /// Places whose name, in any language, starts with `prefix` («Bak», «Бак»), the most
    /// important first: what an autocomplete box shows. A name equal to the prefix ranks before
    /// longer ones; at most `limit` places.
    pub fn search(&self, prefix: &str, lang: Option<&str>, limit: usize) -> Vec<Candidate> {
        prior::search(&self.index, &fold::fold(prefix), lang, limit)
            .into_iter()
            .map(|c| c.into_candidate(&self.index))
            .collect()
    }

    /// What is at a point (longitude, latitude in degrees): the nearest populated place, the
    /// country and the first-level division. `None` when the gazetteer has no populated place
    /// or the point is not finite.
    ///
    /// ```no_run
    /// let gaz = gazetteer::Gazetteer::open_default()?;
    /// // Stepanakert (Khankendi): longitude 46.75, latitude 39.82.
    /// let here = gaz.reverse(geo::Point::new(46.75, 39.82));
    /// println!("{:?}", here.map(|r| r.nearest.name));
    /// # Ok::<(), gazetteer::Error>(())
    /// ```
    pub fn reverse(&self, point: geo::Point) -> Option<ReverseResult> {
        let tree = self
            .rtree
            .get_or_init(|| reverse::PlaceTree::new(&self.index));
        tree.reverse(&self.index, point)
    }

    /// Finds the places a text names and resolves each to a place of the gazetteer.
    ///
    /// Any UTF-8 text is accepted; the time taken is linear in its length.
    pub fn geoparse(&self, text: &str, options: &GeoparseOptions) -> Vec<Mention> {
        self.geoparse_until(text, options, &|| false)
            .unwrap_or_default()
    }

    /// Geoparses as [`Gazetteer::geoparse`] does, asking `stop` between its steps and while
    /// weighing the names found: `None` when it answered yes (the caller gave up waiting), so
    /// that a long text does not hold a thread for an answer nobody reads.
    pub fn geoparse_until(
        &self,
        text: &str,
        options: &GeoparseOptions,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Mention>> {
        let spans = recognize::recognize(&self.index, text, options, stop)?;
        if stop() {
            return None;
        }
        resolve::resolve(&self.index, text, spans, options, stop)
    }
}
