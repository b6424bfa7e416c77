"""Who is looking: OpenID Connect sign-in (st.login) when configured, else a labelled local mode.

With an `[auth]` section in .streamlit/secrets.toml, people sign in and their email is matched to
an organization and a role in the warehouse's `users` table (`gapboard users add`); an email
nobody has added is a viewer (aggregates only). Without it the app is one person on their own
machine: a convener, who may "view as" another role and organization to check what they see.
The rules themselves live in analytics.access and are applied by workflows, not here.
"""

from __future__ import annotations

import streamlit as st

import workflows
from analytics import access
from analytics.access import Role, Viewer

_VIEWER = "auth_viewer"  # session: (identity key, Viewer) — looked up once per identity
VIEW_AS_ROLE = "auth_view_as_role"
VIEW_AS_ORG = "auth_view_as_org"
LOCAL_NOTE = (
    "Local mode — single user, all data visible; set up sign-in in .streamlit/secrets.toml to share"
)
_YOU = "convener (you)"


def auth_configured() -> bool:
    """Return True when .streamlit/secrets.toml has an [auth] section (sign-in is on)."""
    try:
        return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)
    except FileNotFoundError:  # no secrets file anywhere
        return False


def _signed_in_email() -> str | None:
    if not getattr(st.user, "is_logged_in", False):
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else None


def _view_as() -> tuple[str, str | None]:
    """The local mode's "view as" choice: (role, organization); the URL may preset it."""
    if VIEW_AS_ROLE not in st.session_state:
        wanted = str(st.query_params.get("view_as", _YOU))
        st.session_state[VIEW_AS_ROLE] = wanted if wanted in access.ROLES else _YOU
        if "org" in st.query_params:
            st.session_state[VIEW_AS_ORG] = str(st.query_params["org"])
    return str(st.session_state[VIEW_AS_ROLE]), st.session_state.get(VIEW_AS_ORG)


def current_viewer() -> Viewer:
    """Return the person looking, cached in the session per identity (sign-in or "view as")."""
    if auth_configured():
        email = _signed_in_email()
        if email is None:
            return access.SHARED_SCREEN
        identity: tuple[str, ...] = ("oidc", email)
    else:
        role, org = _view_as()
        identity = ("local", role, org or "")
    held = st.session_state.get(_VIEWER)
    if held is not None and held[0] == identity:
        return held[1]
    if identity[0] == "oidc":
        name = st.user.get("name")
        viewer = workflows.viewer_for_email(identity[1], str(name) if name else None)
    elif identity[1] == _YOU:
        viewer = access.LOCAL_CONVENER
    else:
        try:
            viewer = access.build_viewer(
                "local",
                f"Local user as {identity[1]}",
                identity[2] or None,
                identity[1],
                local=True,
            )
        except access.AccessError:  # an employer or provider needs an organization
            viewer = access.build_viewer("local", "Local user", None, Role.VIEWER, local=True)
    st.session_state[_VIEWER] = (identity, viewer)
    return viewer


def sidebar_identity() -> None:
    """Draw who is looking (name, role, organization) and the sign-in / sign-out / view-as controls.

    With sign-in configured and nobody signed in, the page asks to sign in and stops there.
    """
    bar = st.sidebar
    if auth_configured():
        viewer = current_viewer()
        if viewer is access.SHARED_SCREEN:
            bar.button("Sign in", on_click=st.login, key="auth_login", type="primary")
            st.info("Sign in to see the consortium's data (Sign in, in the sidebar).")
            st.stop()
        bar.markdown(f"**{viewer.name}**")
        bar.caption(_describe(viewer))
        if viewer.note:
            bar.warning(viewer.note, icon=":material/person_add:")
        bar.button("Sign out", on_click=st.logout, key="auth_logout")
        return
    bar.caption(LOCAL_NOTE)
    role, org = _view_as()
    roles = [_YOU, *[r for r in access.ROLES if r != Role.CONVENER]]
    bar.selectbox(
        "View as",
        roles,
        key=VIEW_AS_ROLE,
        help="Check what another role sees; the data layer applies that role's rules.",
    )
    if st.session_state[VIEW_AS_ROLE] in (Role.EMPLOYER, Role.PROVIDER):
        members = workflows.list_members(access.LOCAL_CONVENER)
        if org and org not in members:
            members = [org, *members]
        if not members:
            bar.caption("No member has sent a feed yet: there is no organization to view as.")
        else:
            if st.session_state.get(VIEW_AS_ORG) not in members:
                st.session_state[VIEW_AS_ORG] = members[0]
            bar.selectbox("Organization", members, key=VIEW_AS_ORG)
    viewer = current_viewer()
    if viewer.role is not Role.CONVENER:
        bar.info(f"Viewing as {_describe(viewer)}.", icon=":material/visibility:")


def _describe(viewer: Viewer) -> str:
    role = viewer.role.value
    return f"{role} of {viewer.organization}" if viewer.organization else role
