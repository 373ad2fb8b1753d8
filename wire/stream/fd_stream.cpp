#include "wire/stream/fd_stream.hpp"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace stmfd::wire {

namespace {

// Header, table, up to frame_max_segments segments, payload.
constexpr size_t max_iov = 2 + frame_max_segments;

// Sends every byte of iov[0..n); advances the array in place.
bool send_all(int fd, iovec* iov, size_t n) {
  bool socket = true;
  while (n > 0) {
    ssize_t r;
    if (socket) {
      msghdr m{};
      m.msg_iov = iov;
      m.msg_iovlen = n;
      r = ::sendmsg(fd, &m, MSG_NOSIGNAL);
      if (r < 0 && errno == ENOTSOCK) {
        socket = false;  // a pipe or file: plain writev
        continue;
      }
    } else {
      r = ::writev(fd, iov, int(n));
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    size_t done = size_t(r);
    while (n > 0 && done >= iov->iov_len) {
      done -= iov->iov_len;
      ++iov;
      --n;
    }
    if (n > 0) {
      iov->iov_base = static_cast<uint8_t*>(iov->iov_base) + done;
      iov->iov_len -= done;
    }
  }
  return true;
}

}  // namespace

frame_error write_frame(int fd, MessageKind kind, capnp::MessageBuilder& message, const void* payload,
                        uint32_t payload_bytes) {
  auto segments = message.getSegmentsForOutput();
  if (segments.size() == 0 || segments.size() > frame_max_segments) return frame_error::oversized_message;
  size_t table = segment_table_bytes(segments.size());
  uint64_t total = table;
  for (auto s : segments) total += s.size() * sizeof(capnp::word);
  if (total > UINT32_MAX) return frame_error::oversized_message;

  uint8_t head[frame_header_bytes + segment_table_bytes(frame_max_segments)];
  encode_frame_header({kind, uint32_t(total), payload_bytes}, head);
  encode_segment_table(segments, head + frame_header_bytes);
  iovec iov[max_iov];
  size_t n = 0;
  iov[n++] = {head, frame_header_bytes + table};
  for (auto s : segments) iov[n++] = {const_cast<capnp::word*>(s.begin()), s.size() * sizeof(capnp::word)};
  if (payload_bytes > 0) iov[n++] = {const_cast<void*>(payload), payload_bytes};
  return send_all(fd, iov, n) ? frame_error::none : frame_error::io_error;
}

frame_error write_frame(int fd, MessageKind kind, message_slot& slot, const void* payload, uint32_t payload_bytes) {
  return write_frame(fd, kind, slot.builder(), payload, payload_bytes);
}

frame_error frame_reader::read_exact(void* dst, size_t len, bool at_frame_start) {
  auto p = static_cast<uint8_t*>(dst);
  size_t got = 0;
  while (got < len) {
    ssize_t r = ::read(fd_, p + got, len - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return fail(frame_error::io_error);
    }
    if (r == 0) return fail(at_frame_start && got == 0 ? frame_error::end_of_stream : frame_error::truncated);
    got += size_t(r);
  }
  return frame_error::none;
}

frame_error frame_reader::next(message_slot& slot, frame_header& header) {
  if (failed_ != frame_error::none) return failed_;
  if (auto e = skip_payload(); e != frame_error::none) return e;
  uint8_t head[frame_header_bytes];
  if (auto e = read_exact(head, sizeof head, true); e != frame_error::none) return e;
  if (auto e = decode_frame_header(head, slot.capacity_words(), max_payload_, header); e != frame_error::none)
    return fail(e);
  size_t words = header.message_bytes / sizeof(capnp::word);
  auto buf = slot.receive_buffer(words);
  if (auto e = read_exact(buf.begin(), header.message_bytes, false); e != frame_error::none) return e;
  if (auto e = check_segment_table(buf.begin(), words); e != frame_error::none) return fail(e);
  slot.open_received(words, frame_reader_options(words));
  if (auto e = check_message(slot, header.kind); e != frame_error::none) {
    slot.clear();
    return fail(e);
  }
  payload_left_ = header.payload_bytes;
  return frame_error::none;
}

frame_error frame_reader::expect(message_slot& slot, MessageKind want, frame_header& header) {
  auto e = next(slot, header);
  if (e == frame_error::none && header.kind != want) return frame_error::wrong_kind;
  return e;
}

frame_error frame_reader::read_payload(void* dst, uint32_t len) {
  if (failed_ != frame_error::none) return failed_;
  if (len > payload_left_) return frame_error::oversized_payload;  // the caller's mistake: nothing read
  if (auto e = read_exact(dst, len, false); e != frame_error::none) return e;
  payload_left_ -= len;
  return frame_error::none;
}

frame_error frame_reader::skip_payload() {
  uint8_t sink[4096];
  while (payload_left_ > 0) {
    uint32_t n = std::min<uint32_t>(payload_left_, sizeof sink);
    if (auto e = read_payload(sink, n); e != frame_error::none) return e;
  }
  return frame_error::none;
}

}  // namespace stmfd::wire
