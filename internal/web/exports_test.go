package web

// UploadRoutes exposes uploadRoutes to the external tests (paths_test.go).
var UploadRoutes = uploadRoutes

// LiveListening reports whether the server's live hub listens: until it does, the copies in
// memory are read through (live.Copy).
func (s *Server) LiveListening() bool { return s.live.Listening() }
