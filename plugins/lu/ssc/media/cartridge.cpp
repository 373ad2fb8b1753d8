#include "plugins/lu/ssc/media/cartridge.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace stmfd::ssc::media {

namespace {

void put_record(std::vector<uint8_t>& out, const record_tag& t, const uint8_t* payload) {
  const size_t at = out.size();
  out.resize(at + record_overhead + t.length);
  encode_tag(t, tag_kind::lead, out.data() + at);
  if (t.length) std::memcpy(out.data() + at + tag_len, payload, t.length);
  encode_tag(t, tag_kind::trail, out.data() + at + tag_len + t.length);
}

record_tag end_of_data_tag(uint64_t object, uint64_t epoch) {
  record_tag t;
  t.type = record_type::end_of_data;
  t.object = object;
  t.epoch = epoch;
  return t;
}

}  // namespace

std::vector<uint8_t> blank_image(const header& h) {
  std::vector<uint8_t> out(records_offset);
  encode_header(h, out.data());
  encode_header(h, out.data() + header_copy_len);
  put_record(out, end_of_data_tag(0, h.load_count << 32), nullptr);
  return out;
}

cartridge::cartridge(header h, std::vector<record_ref> records, uint64_t eod_offset, bool writable)
    : h_(std::move(h)), recs_(std::move(records)), eod_offset_(eod_offset), writable_(writable) {}

uint64_t cartridge::filemarks_before() const {
  return uint64_t(std::count_if(recs_.begin(), recs_.begin() + int64_t(pos_),
                                [](const record_ref& r) { return r.type == record_type::filemark; }));
}

// The early-warning zone is the last 1/16 of the capacity, at most 64 MiB.
uint64_t cartridge::early_warning_offset() const {
  const uint64_t zone = std::min<uint64_t>(h_.capacity / 16, uint64_t(64) << 20);
  return h_.capacity > zone ? h_.capacity - zone : 0;
}

motion cartridge::space_blocks(int64_t n) {
  motion m;
  if (n > 0) {
    while (m.done < uint64_t(n)) {
      if (pos_ == recs_.size()) return {m.done, stop::eod};
      if (recs_[pos_++].type == record_type::filemark) return {m.done, stop::filemark};
      ++m.done;
    }
  } else {
    const uint64_t want = uint64_t(-(n + 1)) + 1;
    while (m.done < want) {
      if (pos_ == 0) return {m.done, stop::bot};
      if (recs_[pos_ - 1].type == record_type::filemark) {
        --pos_;  // SSC-3 7.7: backward over a filemark ends on its BOT side
        return {m.done, stop::filemark};
      }
      --pos_;
      ++m.done;
    }
  }
  return m;
}

motion cartridge::space_filemarks(int64_t n) {
  motion m;
  if (n > 0) {
    while (m.done < uint64_t(n)) {
      if (pos_ == recs_.size()) return {m.done, stop::eod};
      if (recs_[pos_++].type == record_type::filemark) ++m.done;
    }
  } else {
    const uint64_t want = uint64_t(-(n + 1)) + 1;
    while (m.done < want) {
      if (pos_ == 0) return {m.done, stop::bot};
      if (recs_[--pos_].type == record_type::filemark) ++m.done;
    }
  }
  return m;
}

motion cartridge::locate(uint64_t object) {
  if (object > recs_.size()) {
    pos_ = recs_.size();
    return {0, stop::eod};
  }
  pos_ = object;
  return {};
}

read_span cartridge::plan_read(uint32_t max_records, uint64_t max_bytes) const {
  read_span s;
  s.first = pos_;
  s.offset = pos_ < recs_.size() ? recs_[pos_].offset : eod_offset_;
  uint64_t i = pos_, bytes = 0;
  for (; s.records < max_records; ++i) {
    if (i == recs_.size()) {
      s.cond = stop::eod;
      break;
    }
    if (recs_[i].type == record_type::filemark) {
      s.cond = stop::filemark;
      break;
    }
    if (s.records > 0 && bytes + recs_[i].length > max_bytes) break;
    bytes += recs_[i].length;
    ++s.records;
  }
  s.length = s.records ? recs_[i - 1].end() - s.offset : 0;
  return s;
}

bool cartridge::check_read(const read_span& span, const uint8_t* bytes, const uint8_t** payloads) const {
  for (uint32_t k = 0; k < span.records; ++k) {
    const record_ref& r = recs_[span.first + k];
    const uint8_t* at = bytes + (r.offset - span.offset);
    auto lead = decode_tag(at, tag_kind::lead);
    auto trail = decode_tag(at + tag_len + r.length, tag_kind::trail);
    if (!lead || !trail || !same_record(*lead, *trail)) return false;
    if (lead->type != r.type || lead->length != r.length || lead->object != span.first + k) return false;
    if (payload_crc(at + tag_len, r.length) != lead->payload_crc) return false;
    payloads[k] = at + tag_len;
  }
  return true;
}

// Appending at end of data continues this load's epoch; replacing data
// begins a new one (format.hpp: why records left behind are then dead).
uint64_t cartridge::next_epoch_for_write() {
  if (pos_ < recs_.size()) ++rewrites_;
  return h_.load_count << 32 | rewrites_;
}

write_plan cartridge::plan_write(const write_item* items, size_t n) {
  write_plan p;
  p.replaces = pos_ < recs_.size();
  p.offset = p.replaces ? recs_[pos_].offset : eod_offset_;
  const uint64_t epoch = next_epoch_for_write();
  uint64_t end = p.offset;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t len = items[k].type == record_type::data ? items[k].length : 0;
    // Room for this record and the end-of-data record after it.
    if (end + record_overhead + len + record_overhead > h_.capacity) {
      p.cond = stop::end_of_medium;
      break;
    }
    record_tag t;
    t.type = items[k].type;
    t.length = len;
    t.payload_crc = payload_crc(items[k].data, len);
    t.epoch = epoch;
    t.object = pos_ + k;
    put_record(p.image, t, items[k].data);
    end += record_overhead + len;
    ++p.objects;
  }
  put_record(p.image, end_of_data_tag(pos_ + p.objects, epoch), nullptr);
  p.commit = std::exchange(p.image[0], uint8_t(0));  // sealed until file_writes() commits it
  p.early_warning = end >= early_warning_offset();
  return p;
}

void cartridge::commit_write(const write_plan& p, const write_item* items) {
  recs_.resize(pos_);
  uint64_t at = p.offset;
  for (uint32_t k = 0; k < p.objects; ++k) {
    const uint32_t len = items[k].type == record_type::data ? items[k].length : 0;
    recs_.push_back({at, len, items[k].type});
    at += record_overhead + len;
  }
  eod_offset_ = at;
  pos_ = recs_.size();
}

write_order write_plan::file_writes() const {
  static constexpr uint8_t seal = 0;  // no tag magic begins with 0
  write_order o;
  if (replaces) o.writes[o.count++] = {offset, &seal, 1};
  o.writes[o.count++] = {offset, image.data(), uint32_t(image.size())};
  o.writes[o.count++] = {offset, &commit, 1};
  return o;
}

void cartridge::abandon_write(const write_plan& p, size_t writes_done) {
  if (p.replaces && writes_done == 0) return;  // the seal did not land: nothing changed
  recs_.resize(pos_);
  eod_offset_ = p.offset;
}

}  // namespace stmfd::ssc::media
