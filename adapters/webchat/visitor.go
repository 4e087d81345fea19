package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Visitor tokens. The page keeps a token that the server issued: 16
// random bytes and an HMAC-SHA256 of them (truncated to 16 bytes) under
// the key every replica shares, so only the server can make one and any
// replica can check one without a store. The conversation's address is
// not the token but a one-way digest of its random part (chatID), so the
// addresses that reach logs, transcripts, the review pages and Slack
// cards let nobody read or write the conversation.
//
// A token reads "v1." and 43 characters of unpadded base64url:
//
//	v1.<base64url(random[16] || mac[16])>
//
// The version prefix tells an old-form ID (32 hex digits, not issued by
// this scheme) from a token at a glance, and leaves room for another
// scheme later.
const (
	tokenPrefix = "v1."
	randomLen   = 16
	macLen      = 16
	// KeyMinLen is the shortest key New accepts.
	KeyMinLen = 32
)

// tokenLen is the length of a token: 46.
var tokenLen = len(tokenPrefix) + base64.RawURLEncoding.EncodedLen(randomLen+macLen)

// Domain separation: the MAC and the chat ID never share an input.
var (
	macLabel  = []byte("sportello/webchat/visitor-mac/v1\x00")
	chatLabel = []byte("sportello/webchat/chat-id/v1\x00")
)

// A signer issues and checks visitor tokens under one key.
type signer struct {
	key []byte
}

// newSigner returns a signer with key, or with a random key (one process
// only) when key is empty.
func newSigner(key []byte) *signer {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key) // never fails, says crypto/rand
	}
	return &signer{key: append([]byte(nil), key...)}
}

func (s *signer) mac(random []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(macLabel)
	m.Write(random)
	return m.Sum(nil)[:macLen]
}

// issue returns a new token and the chat ID of its conversation.
func (s *signer) issue() (token, chatID string) {
	var b [randomLen + macLen]byte
	rand.Read(b[:randomLen])
	copy(b[randomLen:], s.mac(b[:randomLen]))
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:]), chatIDOf(b[:randomLen])
}

// verify returns the chat ID of token, or false if the server did not
// issue it (a made-up or old-form ID, another key, a typo).
func (s *signer) verify(token string) (chatID string, ok bool) {
	b, ok := decodeToken(token)
	if !ok || !hmac.Equal(b[randomLen:], s.mac(b[:randomLen])) {
		return "", false
	}
	return chatIDOf(b[:randomLen]), true
}

// decodeToken returns the bytes of a token of the issued form, unchecked.
func decodeToken(token string) ([]byte, bool) {
	rest, found := strings.CutPrefix(token, tokenPrefix)
	if !found || len(token) != tokenLen {
		return nil, false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(rest)
	if err != nil || len(b) != randomLen+macLen {
		return nil, false
	}
	return b, true
}

// chatIDOf derives the conversation's chat ID from a token's random part:
// 32 hex digits of a SHA-256, which cannot be turned back into the token.
func chatIDOf(random []byte) string {
	h := sha256.New()
	h.Write(chatLabel)
	h.Write(random)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ChatID returns the chat ID of the conversation of a visitor token,
// without checking that the server issued it: what an operator (or a
// test) needs to find a visitor's conversation in the archive from the
// token their browser holds. It returns false for a token of no known
// form.
func ChatID(token string) (string, bool) {
	b, ok := decodeToken(token)
	if !ok {
		return "", false
	}
	return chatIDOf(b[:randomLen]), true
}
