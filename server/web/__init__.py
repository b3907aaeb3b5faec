"""HTTP API, pages and websockets: they translate, they do not decide."""
