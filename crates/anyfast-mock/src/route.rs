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
    /// The asset library: `POST /volc/asset/CreateAssetGroup`, `CreateAsset`, `GetAsset`,
    /// `DeleteAsset` and `ListAssets`.
    Assets,
    /// `GET /v1/models`.
    Models,
    /// Any other path.
    Other,
}

/// Each route with its name (in `--fault ROUTE:...`, and in the log), in the order of
/// [`Route::ALL`]: the one place a route is named.
const NAMES: [(Route, &str); 6] = [
    (Route::Create, "create"),
    (Route::Get, "get"),
    (Route::Download, "download"),
    (Route::Assets, "assets"),
    (Route::Models, "models"),
    (Route::Other, "other"),
];

impl Route {
    /// Every route, for tallies kept per route.
    pub(crate) const ALL: [Route; NAMES.len()] = {
        let mut all = [Route::Other; NAMES.len()];
        let mut index = 0;
        while index < NAMES.len() {
            all[index] = NAMES[index].0;
            index += 1;
        }
        all
    };

    /// The route's place in [`Route::ALL`] (the enum declares them in that order).
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The route of a name, as [`Display`](fmt::Display) writes it.
    pub(crate) fn named(name: &str) -> Option<Route> {
        NAMES
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(route, _)| *route)
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(NAMES[self.index()].1)
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_route_has_its_own_index_and_is_found_by_its_name() {
        for (position, route) in Route::ALL.into_iter().enumerate() {
            assert_eq!(route.index(), position, "{route}");
            assert_eq!(Route::named(&route.to_string()), Some(route));
        }
        assert_eq!(Route::named("any"), None);
    }
}
