package web

// Hooks into the server for the package's external tests (package web_test), compiled only
// into the test binary.

// UploadsInFlight is how many uploads hold a turn now (Config.Uploads): a test that needs a
// slow upload to hold its turn waits for it here rather than guessing from socket buffers.
func (s *Server) UploadsInFlight() int { return len(s.uploads) }
