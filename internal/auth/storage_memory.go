package auth

import (
	"context"
	"sync"
)

// MemoryStorage is the spec's in-memory storage adapter (§16): nothing
// survives the process. It is the default when Options.Storage is nil, the
// store behind PersistSession=false, and what tests use.
type MemoryStorage struct {
	mu    sync.RWMutex
	items map[string]string
}

var _ Storage = (*MemoryStorage)(nil)

// NewMemoryStorage returns an empty MemoryStorage.
func NewMemoryStorage() *MemoryStorage {
	return &MemoryStorage{items: map[string]string{}}
}

// GetItem returns the value stored under key; ok is false for unknown keys.
func (m *MemoryStorage) GetItem(_ context.Context, key string) (string, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	v, ok := m.items[key]
	return v, ok, nil
}

// SetItem stores value under key.
func (m *MemoryStorage) SetItem(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[key] = value
	return nil
}

// RemoveItem deletes key; removing an unknown key is not an error.
func (m *MemoryStorage) RemoveItem(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, key)
	return nil
}
