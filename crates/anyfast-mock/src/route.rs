//! Which of the mock's endpoints a request reached: what faults target and the log counts.

use std::fmt;

/// The mock's endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// `POST /v1/video/generations`.
    Create,
    /// `GET /v1/video/generations/{id}`.
    Get,
    /// The download listener (the stand-in for the pre-signed storage URLs): videos, last
    /// frames and asset files.
    Download,
    /// The asset library: `POST /volc/asset/CreateAssetGroup`, `CreateAsset`, `GetAsset` and
    /// `ListAssets`.
    Assets,
    /// `GET /v1/models`.
    Models,
    /// Any other path.
    Other,
}

impl Route {
    /// Every route, for tallies kept per route.
    pub(crate) const ALL: [Route; 6] = [
        Route::Create,
        Route::Get,
        Route::Download,
        Route::Assets,
        Route::Models,
        Route::Other,
    ];

    /// The route's place in [`Route::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Route::Create => 0,
            Route::Get => 1,
            Route::Download => 2,
            Route::Assets => 3,
            Route::Models => 4,
            Route::Other => 5,
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Route::Create => "create",
            Route::Get => "get",
            Route::Download => "download",
            Route::Assets => "assets",
            Route::Models => "models",
            Route::Other => "other",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_route_has_its_own_index() {
        for (position, route) in Route::ALL.into_iter().enumerate() {
            assert_eq!(route.index(), position, "{route}");
        }
    }
}
