#pragma once
// The frame layout of wire/frame.capnp (read its header comment first): a
// 16-byte header, one Cap'n Proto message in the standard stream framing,
// then a raw payload. This file is the layout and its checks, with no I/O;
// fd_stream.hpp moves frames over a file descriptor.
#include <cstddef>
#include <cstdint>

#include <capnp/common.h>
#include <kj/common.h>

#include "wire/frame.capnp.h"
#include "wire/stream/message_slot.hpp"

namespace stmfd::wire {

constexpr size_t frame_header_bytes = 16;
constexpr uint8_t frame_version = 1;
// A message may have at most this many segments (a builder that spills
// adds one segment per growth step; ours rarely have more than two).
constexpr size_t frame_max_segments = 16;

// Why a frame could not be written or read. Every error but
// oversized_message on the writing side ends the stream: the next byte's
// place in the framing is unknown.
enum class frame_error : uint8_t {
  none,
  end_of_stream,      // the peer closed the stream between frames (a clean end)
  truncated,          // the stream ended inside a frame
  bad_magic,          // not "STMF": not a frame stream, or out of step
  bad_version,        // version or reserved byte not as this side writes them
  unknown_kind,       // kind 0 or beyond MessageKind
  oversized_message,  // message larger than the reader's slot (or the writer's 4 GiB field)
  oversized_payload,  // payload beyond the reader's limit
  bad_segment_table,  // the segment table does not add up to the message length
  malformed_message,  // not a valid instance of the kind's struct
  wrong_kind,         // a valid frame, but not the kind the caller expected
  io_error,           // read/write failed (errno kept by the stream)
};
const char* to_string(frame_error e);

struct frame_header {
  MessageKind kind = MessageKind::NONE;
  uint32_t message_bytes = 0;  // segment table + segments; multiple of 8
  uint32_t payload_bytes = 0;
};

// Writes header_bytes bytes.
void encode_frame_header(const frame_header& h, uint8_t* out);
// Checks magic, version, kind and the two lengths against the reader's
// limits (message in words, payload in bytes).
frame_error decode_frame_header(const uint8_t* in, size_t max_message_words, uint32_t max_payload_bytes,
                                frame_header& out);

// Bytes of the stream framing's segment table for n segments (a u32 count
// - 1, a u32 size per segment, padded to a word).
constexpr size_t segment_table_bytes(size_t segments) { return (4 + 4 * segments + 7) / 8 * 8; }
// Writes the table for these segments; out holds segment_table_bytes(n).
void encode_segment_table(kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments, uint8_t* out);
// The table at the start of `words` describes exactly `count` words.
frame_error check_segment_table(const capnp::word* words, size_t count);

// The slot's received message is a valid instance of the kind's struct:
// every field the schema knows reads without error (pointer types, bounds,
// NUL-terminated text). Afterwards typed reads of it never throw. The one
// place a KJ exception from received bytes is caught.
frame_error check_message(message_slot& slot, MessageKind kind);

// Options every frame reader uses: a traversal limit far above what one
// slot holds, so reading a valid message twice never trips it.
capnp::ReaderOptions frame_reader_options(size_t message_words);

}  // namespace stmfd::wire
