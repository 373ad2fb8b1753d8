#pragma once
// Reassembles a text that an initiator sends over several Text Requests
// (RFC 7143 11.10.2: C=1 means the key=value pairs go on in the next
// request; a pair may span requests, 6.1). Bounded: at most max_pieces
// requests and max_bytes bytes make up one text; beyond either the
// exchange is refused (the connection sends a Reject and forgets it).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stmfd::iscsi {

class text_assembly {
 public:
  // A text bigger than this is not one the target could need: the largest
  // it answers (SendTargets) is a single key.
  static constexpr size_t max_pieces = 8;
  static constexpr size_t max_bytes = 64 * 1024;

  enum class step {
    more,      // C=1: keep the pieces; the target answers with an empty Text Response (11.11)
    complete,  // C=0: text() is the whole text
    too_long,  // beyond max_pieces or max_bytes: nothing kept
  };

  // Adds one request's data segment; cont is its C bit.
  step add(const uint8_t* data, size_t len, bool cont);
  // True between a piece with C=1 and the one that completes the text.
  bool open() const { return open_; }
  const std::vector<uint8_t>& text() const { return text_; }
  void clear();

 private:
  std::vector<uint8_t> text_;
  size_t pieces_ = 0;
  bool open_ = false;
};

}  // namespace stmfd::iscsi
