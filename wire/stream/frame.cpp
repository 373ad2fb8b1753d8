#include "wire/stream/frame.hpp"

#include <cstring>
#include <optional>

#include <capnp/dynamic.h>
#include <capnp/schema.h>
#include <kj/exception.h>

#include "wire/lu_event.capnp.h"
#include "wire/nexus.capnp.h"
#include "wire/status.capnp.h"
#include "wire/task.capnp.h"
#include "wire/tmf.capnp.h"
#include "wire/transfer.capnp.h"

namespace stmfd::wire {

namespace {

constexpr uint8_t magic[4] = {'S', 'T', 'M', 'F'};
constexpr uint16_t last_kind = uint16_t(MessageKind::LU_STATE_LIST);

void put_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = uint8_t(v >> (8 * i));
}
uint32_t get_le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

std::optional<capnp::StructSchema> schema_of(MessageKind kind) {
  switch (kind) {
    case MessageKind::NEXUS_REQUEST: return capnp::Schema::from<NexusRequest>();
    case MessageKind::NEXUS_GRANT: return capnp::Schema::from<NexusGrant>();
    case MessageKind::SCSI_TASK: return capnp::Schema::from<ScsiTask>();
    case MessageKind::DATA_TRANSFER_REQUEST: return capnp::Schema::from<DataTransferRequest>();
    case MessageKind::DATA_TRANSFER_COMPLETION: return capnp::Schema::from<DataTransferCompletion>();
    case MessageKind::TASK_STATUS: return capnp::Schema::from<TaskStatus>();
    case MessageKind::TASK_MANAGEMENT_REQUEST: return capnp::Schema::from<TaskManagementRequest>();
    case MessageKind::TASK_MANAGEMENT_RESPONSE: return capnp::Schema::from<TaskManagementResponse>();
    case MessageKind::LU_STATE_EVENT: return capnp::Schema::from<LuStateEvent>();
    case MessageKind::NEXUS_ATTACH: return capnp::Schema::from<NexusAttach>();
    case MessageKind::NEXUS_DETACH: return capnp::Schema::from<NexusDetach>();
    case MessageKind::LU_STATE_LIST: return capnp::Schema::from<LuStateList>();
    case MessageKind::NONE: break;
  }
  return std::nullopt;  // NONE, or a number beyond the enum
}

void visit(const capnp::DynamicValue::Reader& v);

void visit_struct(const capnp::DynamicStruct::Reader& s) {
  for (auto field : s.getSchema().getNonUnionFields()) visit(s.get(field));
  KJ_IF_MAYBE (active, s.which()) {
    visit(s.get(*active));
  }
}

// Reads every value reachable through the schema; a wrong pointer type,
// out-of-bounds pointer or unterminated text throws.
void visit(const capnp::DynamicValue::Reader& v) {
  switch (v.getType()) {
    case capnp::DynamicValue::STRUCT: visit_struct(v.as<capnp::DynamicStruct>()); break;
    case capnp::DynamicValue::LIST:
      for (auto e : v.as<capnp::DynamicList>()) visit(e);
      break;
    case capnp::DynamicValue::TEXT: (void)v.as<capnp::Text>(); break;
    case capnp::DynamicValue::DATA: (void)v.as<capnp::Data>(); break;
    default: break;  // scalars and enums: any bit pattern reads
  }
}

}  // namespace

const char* to_string(frame_error e) {
  switch (e) {
    case frame_error::none: return "no error";
    case frame_error::end_of_stream: return "end of stream";
    case frame_error::truncated: return "stream ended inside a frame";
    case frame_error::bad_magic: return "bad frame magic";
    case frame_error::bad_version: return "unsupported frame version";
    case frame_error::unknown_kind: return "unknown message kind";
    case frame_error::oversized_message: return "message larger than the limit";
    case frame_error::oversized_payload: return "payload larger than the limit";
    case frame_error::bad_segment_table: return "inconsistent segment table";
    case frame_error::malformed_message: return "malformed message";
    case frame_error::wrong_kind: return "unexpected message kind";
    case frame_error::io_error: return "I/O error";
  }
  return "?";
}

void encode_frame_header(const frame_header& h, uint8_t* out) {
  std::memcpy(out, magic, 4);
  out[4] = frame_version;
  out[5] = 0;
  out[6] = uint8_t(uint16_t(h.kind));
  out[7] = uint8_t(uint16_t(h.kind) >> 8);
  put_le32(out + 8, h.message_bytes);
  put_le32(out + 12, h.payload_bytes);
}

frame_error decode_frame_header(const uint8_t* in, size_t max_message_words, uint32_t max_payload_bytes,
                                frame_header& out) {
  if (std::memcmp(in, magic, 4) != 0) return frame_error::bad_magic;
  if (in[4] != frame_version || in[5] != 0) return frame_error::bad_version;
  uint16_t kind = uint16_t(in[6] | in[7] << 8);
  if (kind == 0 || kind > last_kind) return frame_error::unknown_kind;
  uint32_t message_bytes = get_le32(in + 8);
  uint32_t payload_bytes = get_le32(in + 12);
  if (message_bytes < 8 || message_bytes % 8 != 0) return frame_error::bad_segment_table;
  if (message_bytes / 8 > max_message_words) return frame_error::oversized_message;
  if (payload_bytes > max_payload_bytes) return frame_error::oversized_payload;
  out = frame_header{MessageKind(kind), message_bytes, payload_bytes};
  return frame_error::none;
}

void encode_segment_table(kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments, uint8_t* out) {
  std::memset(out, 0, segment_table_bytes(segments.size()));
  put_le32(out, uint32_t(segments.size() - 1));
  for (size_t i = 0; i < segments.size(); ++i) put_le32(out + 4 + 4 * i, uint32_t(segments[i].size()));
}

frame_error check_segment_table(const capnp::word* words, size_t count) {
  auto bytes = reinterpret_cast<const uint8_t*>(words);
  size_t segments = size_t(get_le32(bytes)) + 1;
  if (segments > frame_max_segments) return frame_error::bad_segment_table;
  size_t table_words = segment_table_bytes(segments) / 8;
  if (table_words > count) return frame_error::bad_segment_table;
  size_t total = table_words;
  for (size_t i = 0; i < segments; ++i) total += get_le32(bytes + 4 + 4 * i);  // at most 16 x 4 G: no overflow
  return total == count ? frame_error::none : frame_error::bad_segment_table;
}

frame_error check_message(message_slot& slot, MessageKind kind) {
  auto schema = schema_of(kind);
  if (!schema) return frame_error::unknown_kind;
  if (!slot.holds_received()) return frame_error::malformed_message;
  auto failure = kj::runCatchingExceptions([&] {
    auto root = slot.reader().getRoot<capnp::AnyPointer>();
    // The root must be a struct (or null: every field at its default).
    KJ_REQUIRE(root.isStruct() || root.isNull(), "root is not a struct");
    visit_struct(slot.reader().getRoot<capnp::DynamicStruct>(*schema));
  });
  return failure == nullptr ? frame_error::none : frame_error::malformed_message;
}

capnp::ReaderOptions frame_reader_options(size_t message_words) {
  capnp::ReaderOptions o;
  o.traversalLimitInWords = 16 * message_words + 1024;
  o.nestingLimit = 16;
  return o;
}

}  // namespace stmfd::wire
