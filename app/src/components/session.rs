//! Who is signed in, and the account actions that change it, shared by the top bar and the pages.

use leptos::prelude::*;

use crate::api::auth::{current_user, ChangePassword, Register, SignIn, SignOut};
use crate::domain::ids::UserId;
use crate::domain::user::CurrentUser;
use crate::error::AppError;

/// The session context: the current person and the actions that change who it is.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
    pub register: ServerAction<Register>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    pub change_password: ServerAction<ChangePassword>,
}

impl Session {
    /// The signed-in person's id as known now, without tracking it (for event handlers).
    pub fn user_id_untracked(&self) -> Option<UserId> {
        self.user
            .get_untracked()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.id)
    }
}

/// Creates the session context. Call it inside the `<Router>`, so actions see errors that a
/// form posted without JavaScript brought back in the URL.
pub fn provide_session() {
    // <Routes> would provide this later; the actions below read it when they are created.
    leptos_router::hooks::use_url()
        .read_untracked()
        .provide_server_action_error();
    let register = ServerAction::<Register>::new();
    let sign_in = ServerAction::<SignIn>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let change_password = ServerAction::<ChangePassword>::new();
    let user = Resource::new(
        move || {
            (
                register.version().get(),
                sign_in.version().get(),
                sign_out.version().get(),
            )
        },
        |_| current_user(),
    );
    provide_context(Session {
        user,
        register,
        sign_in,
        sign_out,
        change_password,
    });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
