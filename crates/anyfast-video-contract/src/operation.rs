//! The operations the checks send, as the spec names them and as the answer corpus does.

use std::fmt;

use anyfast_video::api::validate::KlingAction;

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
    /// `POST /kling/v1/videos/{path}`, one of Kling's four creates (`create_kling_text2video`,
    /// `create_kling_image2video`, `create_kling_multi_image2video`, `create_kling_omni_video`).
    CreateKlingTask(KlingAction),
    /// `GET /kling/v1/videos/{action}/{task_id}` (`get_kling_task`).
    GetKlingTask,
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
            Operation::CreateKlingTask(KlingAction::Text2Video) => "create_kling_text2video",
            Operation::CreateKlingTask(KlingAction::Image2Video) => "create_kling_image2video",
            Operation::CreateKlingTask(KlingAction::MultiImage2Video) => {
                "create_kling_multi_image2video"
            }
            Operation::CreateKlingTask(_) => "create_kling_omni_video",
            Operation::GetKlingTask => "get_kling_task",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        match self {
            Operation::ListModels | Operation::GetTask | Operation::GetKlingTask => "GET",
            _ => "POST",
        }
    }

    /// Whether it makes a task (and may bill one): the creates.
    ///
    /// ```
    /// use anyfast_video_contract::Operation;
    /// use anyfast_video::api::validate::KlingAction;
    ///
    /// assert!(Operation::CreateKlingTask(KlingAction::OmniVideo).is_create());
    /// assert!(!Operation::GetKlingTask.is_create());
    /// ```
    pub fn is_create(self) -> bool {
        matches!(self, Operation::CreateTask | Operation::CreateKlingTask(_))
    }

    /// The path as the spec writes it (`/v1/video/generations/{id}`).
    pub fn path_template(self) -> &'static str {
        match self {
            Operation::ListModels => "/v1/models",
            Operation::GetTask => "/v1/video/generations/{id}",
            Operation::CreateTask => "/v1/video/generations",
            Operation::ListAssets => "/volc/asset/ListAssets",
            Operation::GetAsset => "/volc/asset/GetAsset",
            Operation::CreateKlingTask(KlingAction::Text2Video) => "/kling/v1/videos/text2video",
            Operation::CreateKlingTask(KlingAction::Image2Video) => "/kling/v1/videos/image2video",
            Operation::CreateKlingTask(KlingAction::MultiImage2Video) => {
                "/kling/v1/videos/multi-image2video"
            }
            Operation::CreateKlingTask(_) => "/kling/v1/videos/omni-video",
            Operation::GetKlingTask => "/kling/v1/videos/{action}/{task_id}",
        }
    }

    /// The name of the operation in the answer corpus
    /// (`crates/anyfast-video/tests/fixtures/answers/`): `create` and `get` as the corpus
    /// always had them (Kling's creates are `create` too, for they answer the same body, and
    /// its query `get`, the fixture's `asked` naming the Kling path), the others by their
    /// operationId.
    ///
    /// ```
    /// use anyfast_video_contract::Operation;
    ///
    /// assert_eq!(Operation::GetKlingTask.corpus_name(), "get");
    /// assert_eq!(Operation::ListModels.corpus_name(), "list_models");
    /// ```
    pub fn corpus_name(self) -> &'static str {
        match self {
            Operation::CreateTask | Operation::CreateKlingTask(_) => "create",
            Operation::GetTask | Operation::GetKlingTask => "get",
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
    pub const ALL: [Operation; 10] = [
        Operation::ListModels,
        Operation::GetTask,
        Operation::CreateTask,
        Operation::ListAssets,
        Operation::GetAsset,
        Operation::CreateKlingTask(KlingAction::Text2Video),
        Operation::CreateKlingTask(KlingAction::Image2Video),
        Operation::CreateKlingTask(KlingAction::MultiImage2Video),
        Operation::CreateKlingTask(KlingAction::OmniVideo),
        Operation::GetKlingTask,
    ];
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
