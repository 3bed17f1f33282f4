package store

import (
	"context"
	"fmt"
	"time"

	"github.com/crewjam/saml"
)

// SAMLReplayCache records the IDs of the SAML assertions accepted, in PostgreSQL, so that
// each is accepted once on every instance (saml.AssertionReplayCache).
type SAMLReplayCache struct{ s *Store }

// SAMLReplayCache returns the store's replay cache for SAML assertions.
func (s *Store) SAMLReplayCache() SAMLReplayCache { return SAMLReplayCache{s} }

// maxAssertionKeep bounds how long an ID is kept, whatever the assertion claims.
const maxAssertionKeep = 24 * time.Hour

// Consume records id until expiresAt, or returns saml.ErrAssertionReplayed when it is
// recorded already. The insert is atomic, so of two instances given the same assertion at
// the same moment, one accepts it.
func (c SAMLReplayCache) Consume(id string, expiresAt time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := c.s.Now()
	if expiresAt.Before(now) || expiresAt.After(now.Add(maxAssertionKeep)) {
		expiresAt = now.Add(maxAssertionKeep)
	}
	// An ID whose assertion has expired is worth nothing (the assertion is refused for its
	// time anyway): the rows are a cache, not a record of anyone's case, and are dropped.
	if _, err := c.s.pool.Exec(ctx, `DELETE FROM saml_assertions WHERE expires_at < $1`, now); err != nil {
		return fmt.Errorf("expire saml assertions: %w", err)
	}
	tag, err := c.s.pool.Exec(ctx, `INSERT INTO saml_assertions (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, id, expiresAt)
	if err != nil {
		return fmt.Errorf("record saml assertion: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return saml.ErrAssertionReplayed
	}
	return nil
}
