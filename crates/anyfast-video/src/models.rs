//! [`Models`]: which models a key can use (`GET /v1/models`).

use anyfast_video_api::operations;

use crate::answer;
use crate::call::Call;
use crate::retry::{self, RetryPolicy};
use crate::transport::Transport;
use crate::{Error, ModelInfo};

/// The models list of a [`Client`](crate::Client); get it with
/// [`Client::models`](crate::Client::models).
///
/// ```no_run
/// # async fn run() -> Result<(), anyfast_video::Error> {
/// let client = anyfast_video::Client::from_env()?;
/// for model in client.models().video().await? {
///     println!("{}", model.id);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Models<'a> {
    pub(crate) transport: &'a Transport,
    pub(crate) policy: &'a RetryPolicy,
}

impl Models<'_> {
    /// Every model the key can use, of any kind.
    pub async fn list(self) -> Result<Vec<ModelInfo>, Error> {
        Call::new("list_models", self.policy)
            .run(retry::idempotent, || async {
                answer::models(&self.transport.get(operations::LIST_MODELS).await?)
            })
            .await
    }

    /// The video models the key can use (`supported_endpoint_types` lists `video`).
    pub async fn video(self) -> Result<Vec<ModelInfo>, Error> {
        let mut models = self.list().await?;
        models.retain(ModelInfo::is_video);
        Ok(models)
    }
}
