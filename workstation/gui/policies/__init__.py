"""The Policies area: versions of the alert policy, their health, and the editor with preview."""
