"""The staff pages (Persian, right to left): sign-in with a second factor, the kartable, case pages,
supervisor boards and notifications. Views parse input, call services and selectors, and render."""
