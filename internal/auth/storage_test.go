package auth

import (
	"context"
	"testing"
)

func TestSA01_MemoryStorageStoresAndRetrieves(t *testing.T) {
	s := NewMemoryStorage()
	ctx := context.Background()
	if err := s.SetItem(ctx, "k", `{"a":1}`); err != nil {
		t.Fatal(err)
	}
	v, ok, err := s.GetItem(ctx, "k")
	if err != nil || !ok || v != `{"a":1}` {
		t.Fatalf("GetItem = %q, %v, %v", v, ok, err)
	}
	_ = s.SetItem(ctx, "k", "second")
	if v, _, _ := s.GetItem(ctx, "k"); v != "second" {
		t.Fatalf("overwrite: %q", v)
	}
}

func TestSA02_MemoryStorageUnknownKey(t *testing.T) {
	v, ok, err := NewMemoryStorage().GetItem(context.Background(), "nope")
	if err != nil || ok || v != "" {
		t.Fatalf("GetItem = %q, %v, %v; want absent", v, ok, err)
	}
}

func TestSA03_MemoryStorageRemoves(t *testing.T) {
	s := NewMemoryStorage()
	ctx := context.Background()
	_ = s.SetItem(ctx, "k", "v")
	if err := s.RemoveItem(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.GetItem(ctx, "k"); ok {
		t.Fatal("still present after RemoveItem")
	}
	if err := s.RemoveItem(ctx, "k"); err != nil {
		t.Fatalf("removing an absent key: %v", err)
	}
}
