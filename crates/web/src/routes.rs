//! The router, built through a table that remembers every route, so a test
//! can walk all of them (see `tests/route_walk.rs`) and the OpenAPI
//! document can be checked against them.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};

use crate::state::AppState;

/// One route: its method and path pattern (`/api/petitions/{id}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub path: String,
}

#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    fn add(
        mut self,
        method: Method,
        path: impl Into<String>,
        mr: MethodRouter<AppState>,
    ) -> Routes {
        let path = path.into();
        self.router = self.router.route(&path, mr);
        self.table.push(Route { method, path });
        self
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: impl Into<String>, h: H) -> Routes {
        self.add(Method::GET, path, get(h))
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: impl Into<String>,
        h: H,
    ) -> Routes {
        self.add(Method::POST, path, post(h))
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(self, path: impl Into<String>, h: H) -> Routes {
        self.add(Method::PUT, path, put(h))
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: impl Into<String>,
        h: H,
    ) -> Routes {
        self.add(Method::DELETE, path, delete(h))
    }

    pub fn table(&self) -> &[Route] {
        &self.table
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<Route>) {
        (self.router, self.table)
    }
}
