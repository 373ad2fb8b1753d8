#pragma once
// A cartridge file in memory for the media tests: it records every write
// in order (the byte stream a crash can cut anywhere) and drives the
// loader conversation the way the LU shell does.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "plugins/lu/ssc/media/cartridge.hpp"
#include "plugins/lu/ssc/media/loader.hpp"

namespace stmfd::ssc::media::test {

struct tape_file {
  struct write_op {
    uint64_t offset;
    std::vector<uint8_t> bytes;
  };
  std::vector<uint8_t> bytes;
  std::vector<write_op> journal;

  void write(uint64_t off, const uint8_t* d, size_t n) {
    journal.push_back({off, std::vector<uint8_t>(d, d + n)});
    apply(bytes, off, d, n);
  }
  static void apply(std::vector<uint8_t>& to, uint64_t off, const uint8_t* d, size_t n) {
    if (to.size() < off + n) to.resize(off + n);
    std::copy(d, d + n, to.begin() + int64_t(off));
  }
  // Reads [off, off+n) cut at the end of the file.
  std::vector<uint8_t> read(uint64_t off, size_t n) const {
    if (off >= bytes.size()) return {};
    const size_t m = std::min<size_t>(n, bytes.size() - off);
    return {bytes.begin() + int64_t(off), bytes.begin() + int64_t(off + m)};
  }
};

inline header blank_header(uint64_t capacity = 1 << 20, std::string barcode = "TAPE01L6") {
  header h;
  h.capacity = capacity;
  h.barcode = std::move(barcode);
  return h;
}

// The loader conversation against f; nullopt (and why in *error) when it fails.
inline std::optional<cartridge> load(tape_file& f, const header& blank, bool writable = true,
                                     std::string* error = nullptr) {
  loader l(blank);
  file_request r = l.start(f.bytes.size(), writable);
  for (int guard = 0; guard < 1000000; ++guard) {
    switch (r.what) {
      case file_request::op::read: {
        auto b = f.read(r.offset, r.length);
        r = l.read_done(b.data(), b.size());
        break;
      }
      case file_request::op::write:
        f.write(r.offset, r.data, r.length);
        r = l.write_done();
        break;
      case file_request::op::done: return l.take();
      case file_request::op::failed:
        if (error) *error = r.error;
        return std::nullopt;
    }
  }
  return std::nullopt;
}

// Puts a plan in the file the way the LU shell does: its file writes in order.
inline void put_plan(tape_file& f, const write_plan& p) {
  const write_order o = p.file_writes();
  for (uint8_t k = 0; k < o.count; ++k) f.write(o.writes[k].offset, o.writes[k].data, o.writes[k].length);
}

// Writes items at the position the way the tape core does: plan, write,
// commit. Returns the plan.
inline write_plan write_items(tape_file& f, cartridge& c, const std::vector<write_item>& items) {
  write_plan p = c.plan_write(items.data(), items.size());
  put_plan(f, p);
  c.commit_write(p, items.data());
  return p;
}

// What a record reads back as: "F" for a filemark, the payload otherwise.
inline std::vector<std::string> contents(const tape_file& f, cartridge c) {
  std::vector<std::string> out;
  c.rewind();
  while (!c.at_eod()) {
    if (c.record(c.position()).type == record_type::filemark) {
      out.push_back("F");
      c.advance(1);
      continue;
    }
    read_span s = c.plan_read(1, 1);
    auto b = f.read(s.offset, s.length);
    const uint8_t* payload = nullptr;
    if (b.size() != s.length || !c.check_read(s, b.data(), &payload)) {
      out.push_back("<bad>");
    } else {
      out.emplace_back(reinterpret_cast<const char*>(payload), c.record(s.first).length);
    }
    c.advance(1);
  }
  return out;
}

inline write_item block(const std::string& s) {
  return {record_type::data, reinterpret_cast<const uint8_t*>(s.data()), uint32_t(s.size())};
}
inline write_item filemark() { return {record_type::filemark, nullptr, 0}; }

}  // namespace stmfd::ssc::media::test
