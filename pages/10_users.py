"""Users (chair): who may sign in and as what, managed while the dashboard runs (the command
line cannot open the database then). Add a user; change a user's role; disable or enable
them; set what a lead answers for; set a one-time password they must change at the next
sign-in; end their sessions. Each change is audited; a new password, a disable or a role
change ends the user's sessions at once."""

from __future__ import annotations

import streamlit as st

from cjb_tracker import auth, web

FORM = web.UsersForm()

web.require_dashboard()
chair = web.require_permission("manage-users")

st.title("Users")
outcome = web.users_outcome()
if outcome:
    (st.success if outcome[0] == "success" else st.error)(outcome[1])
users = web.user_list()
st.header(f"Who may sign in ({len(users):,})")
web.table(users, key="users", times=("changed_at",))

st.header("Change a user")
names = list(users["username"])
chosen = st.selectbox("User", names, index=None, key=FORM.chosen, placeholder="Choose a user",
                      on_change=web.user_chosen, args=(FORM,))  # fmt: skip
if chosen:
    row = users[users["username"] == chosen].iloc[0]
    role, state = st.columns(2)
    role.selectbox("Role", auth.ROLES, key=FORM.new_role)
    role.button("Change the role", key="users_set_role", on_click=web.manage_user,
                args=("role", chair, FORM))  # fmt: skip
    switch = "enable" if row["state"] == "disabled" else "disable"
    state.text(f"The account is {row['state']}; {row['live_sessions']} session(s) live.")
    state.button(f"{switch.capitalize()} {chosen}", key="users_switch",
                 on_click=web.manage_user, args=(switch, chair, FORM))  # fmt: skip
    state.button("End every session now", key="users_end_sessions",
                 on_click=web.manage_user, args=("end", chair, FORM))  # fmt: skip
    with st.form("users_assign"):
        st.text_input("Lead names they answer for (comma-separated)", key=FORM.leads)
        st.text_input("Recommendations assigned by id (comma-separated)", key=FORM.recs)
        st.form_submit_button("Save what they answer for", key="users_assign_submit",
                              on_click=web.manage_user, args=("assign", chair, FORM))  # fmt: skip
    with st.form("users_password"):
        st.text_input("One-time password (at least 12 characters)", type="password",
                      key=FORM.one_time, autocomplete="new-password")  # fmt: skip
        st.form_submit_button("Set the one-time password", key="users_password_submit",
                              on_click=web.manage_user, args=("password", chair, FORM))  # fmt: skip

st.header("Add a user")
with st.form("users_add"):
    st.text_input("Username", key=FORM.username)
    st.text_input("Name as shown", key=FORM.name)
    st.selectbox("Role", auth.ROLES, key=FORM.role)
    st.text_input("Email (for single sign-on)", key=FORM.email)
    st.text_input("One-time password (or leave empty for single sign-on only)",
                  type="password", key=FORM.password, autocomplete="new-password")  # fmt: skip
    st.form_submit_button("Add the user", type="primary", key="users_add_submit",
                          on_click=web.manage_user, args=("add", chair, FORM))  # fmt: skip
