//! [`Models`]: which models a key can use (`GET /v1/models`).

use crate::call::Call;
use crate::error::Error;
use crate::model_info::ModelInfo;
use crate::retry::{self, RetryPolicy};
use crate::send::Sender;
use crate::tolerant;

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
    pub(crate) sender: &'a Sender,
    pub(crate) policy: &'a RetryPolicy,
}

impl Models<'_> {
    /// Every model the key can use, of any kind.
    pub async fn list(self) -> Result<Vec<ModelInfo>, Error> {
        Call::new("list_models", self.policy)
            .run(retry::idempotent, || async {
                let call = self.sender.api().list_models().send();
                let answer = self.sender.send("list_models", self.sender.query, call);
                tolerant::models(&answer.await?)
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
