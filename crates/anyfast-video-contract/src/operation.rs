//! The operations the checks send, as the spec names them and as the answer corpus does.

use std::fmt;

/// An operation of `openapi.yaml` that a probe sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `GET /v1/models` (`list_models`).
    ListModels,
    /// `GET /v1/video/generations/{id}` (`get_video_generation`).
    GetTask,
    /// `POST /v1/video/generations` (`create_video_generation`).
    CreateTask,
    /// `POST /volc/asset/ListAssets` (`list_assets`).
    ListAssets,
    /// `POST /volc/asset/GetAsset` (`get_asset`).
    GetAsset,
}

impl Operation {
    /// The operation's `operationId` in the spec.
    pub fn id(self) -> &'static str {
        match self {
            Operation::ListModels => "list_models",
            Operation::GetTask => "get_video_generation",
            Operation::CreateTask => "create_video_generation",
            Operation::ListAssets => "list_assets",
            Operation::GetAsset => "get_asset",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        match self {
            Operation::ListModels | Operation::GetTask => "GET",
            _ => "POST",
        }
    }

    /// The path as the spec writes it (`/v1/video/generations/{id}`).
    pub fn path_template(self) -> &'static str {
        match self {
            Operation::ListModels => "/v1/models",
            Operation::GetTask => "/v1/video/generations/{id}",
            Operation::CreateTask => "/v1/video/generations",
            Operation::ListAssets => "/volc/asset/ListAssets",
            Operation::GetAsset => "/volc/asset/GetAsset",
        }
    }

    /// The name of the operation in the answer corpus
    /// (`crates/anyfast-video/tests/fixtures/answers/`): `create` and `get` as the corpus
    /// always had them, the others by their operationId.
    pub fn corpus_name(self) -> &'static str {
        match self {
            Operation::CreateTask => "create",
            Operation::GetTask => "get",
            other => other.id(),
        }
    }

    /// The operation a corpus file names (its `operation`), if any.
    ///
    /// ```
    /// use anyfast_video_contract::Operation;
    ///
    /// assert_eq!(Operation::from_corpus_name("get"), Some(Operation::GetTask));
    /// assert_eq!(Operation::from_corpus_name("get_asset"), Some(Operation::GetAsset));
    /// ```
    pub fn from_corpus_name(name: &str) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .find(|operation| operation.corpus_name() == name)
    }

    /// Every operation a probe sends.
    pub const ALL: [Operation; 5] = [
        Operation::ListModels,
        Operation::GetTask,
        Operation::CreateTask,
        Operation::ListAssets,
        Operation::GetAsset,
    ];
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
