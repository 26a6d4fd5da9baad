//! Text forms of the spec's open enums: a model and a resolution are either a word the spec
//! knows or any other word the service may add (`anyOf` a known enum and a string). typify
//! generates `FromStr` and `Display` for the known part only; these read and write the whole.
//! Only the two wrappers are named here, never a known word, so a word added to the spec
//! needs no edit. `words_of` lists the words of a closed enum, read from its schema, for a
//! command line's possible values.

use std::fmt;
use std::str::FromStr;

use crate::types::error::ConversionError;
use crate::types::{KnownModel, KnownResolution, Model, OtherModel, OtherResolution, Resolution};

/// A known model id, or any other non-empty id.
///
/// ```
/// use anyfast_video_api::types::{KnownModel, Model};
///
/// assert_eq!("seedance".parse::<Model>()?, Model::KnownModel(KnownModel::Seedance));
/// assert_eq!("wan-2".parse::<Model>()?.to_string(), "wan-2");
/// assert!("".parse::<Model>().is_err());
/// # Ok::<(), anyfast_video_api::types::error::ConversionError>(())
/// ```
impl FromStr for Model {
    type Err = ConversionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.parse::<KnownModel>() {
            Ok(known) => Ok(Model::KnownModel(known)),
            Err(_) => text
                .parse::<OtherModel>()
                .map(Model::OtherModel)
                .map_err(|_| "a model id is not empty".into()),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Model::KnownModel(known) => known.fmt(f),
            Model::OtherModel(other) => f.write_str(other),
        }
    }
}

/// A known resolution, or any other of the form digits then `p` (such as `1440p`).
///
/// ```
/// use anyfast_video_api::types::{KnownResolution, Resolution};
///
/// assert_eq!("1080p".parse::<Resolution>()?, KnownResolution::X1080p.into());
/// assert_eq!("1440p".parse::<Resolution>()?.to_string(), "1440p");
/// assert!("big".parse::<Resolution>().is_err());
/// # Ok::<(), anyfast_video_api::types::error::ConversionError>(())
/// ```
impl FromStr for Resolution {
    type Err = ConversionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.parse::<KnownResolution>() {
            Ok(known) => Ok(Resolution::KnownResolution(known)),
            Err(_) => text
                .parse::<OtherResolution>()
                .map(Resolution::OtherResolution)
                .map_err(|_| {
                    format!("{text:?} is not a resolution: digits, then p (such as 720p)").into()
                }),
        }
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resolution::KnownResolution(known) => known.fmt(f),
            Resolution::OtherResolution(other) => f.write_str(other),
        }
    }
}

/// The words of a closed enum of the spec (such as [`Ratio`](crate::types::Ratio)), in the
/// spec's order, read from the generated type's JSON Schema, so a word added to the spec is
/// listed at once. With the `schemars` feature.
///
/// ```
/// use anyfast_video_api::types::Ratio;
///
/// let words = anyfast_video_api::words_of::<Ratio>();
/// assert!(words.iter().any(|word| word == "16:9"));
/// assert!(words.iter().all(|word| word.parse::<Ratio>().is_ok()));
/// ```
#[cfg(feature = "schemars")]
pub fn words_of<T: schemars::JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T).to_value();
    schema["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|word| word.as_str().map(str::to_string))
        .collect()
}
