package web

// UploadRoutes exposes uploadRoutes to the external tests (paths_test.go).
var UploadRoutes = uploadRoutes
