package control

import _ "embed"

// openAPIDocument is the API's OpenAPI 3 description, served at
// GET /api/v1/openapi.json.
//
//go:embed openapi.json
var openAPIDocument []byte
