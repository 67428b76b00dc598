// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_hdr_count: the packet and byte counters of indexed header groups (docs/ARCHITECTURE.md
 * section 6, "Counters, actions and the verdict of indexed groups"; docs/HARDWARE.md "Counters
 * of indexed groups"). Each of the LANES verify lanes has its own counter memory, indexed by
 * group, holding per entry both rule positions' packets and bytes, so each memory takes at most
 * one update a cycle and no hit ever waits: a rule's count is the sum of its (group, position)
 * entries over the lanes.
 *
 * Per lane, one operation a cycle: an update (a hit: read the entry, add one packet and the
 * frame's bytes to each enabled position, write it back one cycle later, forwarding that write
 * to an update of the same entry in the next cycle), else one step of a sweep.
 *
 * Exact snapshot (`snap`, a pulse): the epoch bit flips; the first update of an entry after it
 * writes the entry's old value to the lane's snapshot copy (copy-on-write), and a sweep copies
 * every entry not updated since, in cycles without a hit. Clear (`clear`, a pulse: a new image):
 * the generation bit flips; an entry of the other generation counts as zero, and a sweep rewrites
 * every such entry as zero (in the snapshot copy too). After reset a sweep zeroes every entry
 * unconditionally; no hit may arrive during it (the core judges nothing before an image is
 * committed). `busy` is high while a sweep runs; a `snap` or `clear` while busy is ignored (the
 * driver waits for busy to fall, as it waits for SNAP_SEQ). The host reads the snapshot copies.
 */
module dejfa_hdr_count #(
  /// header groups (GROUPS_N): a power of two, at least 4
  parameter int unsigned GROUPS_N = 64,
  /// verify lanes (8 at both configurations)
  parameter int unsigned LANES = 8,
  /// counter width (CNT_W)
  parameter int unsigned CNT_W = 64,
  localparam int unsigned GL = $clog2(GROUPS_N),
  localparam int unsigned LL = LANES > 1 ? $clog2(LANES) : 1,
  /// one entry: position 0's packets and bytes, then position 1's
  localparam int unsigned VW = 4 * CNT_W
) (
  input  wire logic                  clk,
  input  wire logic                  rst,
  /// a packet's lanes: hit, group, which of the group's 2 rule positions count, frame bytes
  input  wire logic                  s_valid,
  input  wire logic [LANES-1:0]      s_hit,
  input  wire logic [LANES*GL-1:0]   s_group,
  input  wire logic [2*LANES-1:0]    s_en,
  input  wire logic [15:0]           s_bytes,
  /// SNAPSHOT and clear requests (pulses), and whether a sweep runs
  input  wire logic                  snap,
  input  wire logic                  clear,
  output logic                       busy,
  /// host read of a snapshot entry: data two cycles after the request
  input  wire logic                  rd_valid,
  input  wire logic [LL-1:0]         rd_lane,
  input  wire logic [GL-1:0]         rd_group,
  output logic                       rd_ack,
  output logic [VW-1:0]              rd_data
);
  initial begin
    if (GROUPS_N < 4 || (1 << GL) != GROUPS_N) $fatal(1, "dejfa_hdr_count: GROUPS_N must be a power of two >= 4 (%m)");
    if (LANES < 1) $fatal(1, "dejfa_hdr_count: LANES must be at least 1 (%m)");
    if (CNT_W < 17 || CNT_W > 64) $fatal(1, "dejfa_hdr_count: CNT_W must be 17 .. 64 (%m)");
  end

  // An entry of a live memory: generation, epoch, then the counts.
  localparam int unsigned EW = VW + 2;

  typedef enum logic [1:0] {
    SW_IDLE  = 2'd0,
    SW_INIT  = 2'd1,  // after reset: zero every entry
    SW_CLEAR = 2'd2,  // zero the entries of the other generation
    SW_SNAP  = 2'd3   // copy the entries not updated since the snapshot
  } sweep_e;

  logic   gen_q, epoch_q;
  sweep_e kind_q;
  logic [LANES-1:0] active_q;  // lane still sweeping

  assign busy = kind_q != SW_IDLE;

  // A new sweep starts when every lane has finished the last one.
  always_ff @(posedge clk) begin
    if (rst) begin
      gen_q   <= 1'b0;
      epoch_q <= 1'b0;
      kind_q  <= SW_INIT;
    end else if (kind_q != SW_IDLE) begin
      if (active_q == '0) kind_q <= SW_IDLE;
    end else if (clear) begin
      gen_q  <= !gen_q;
      kind_q <= SW_CLEAR;
    end else if (snap) begin
      epoch_q <= !epoch_q;
      kind_q  <= SW_SNAP;
    end
  end
  `DEJFA_ASSERT(NoHitDuringInit_A, !(kind_q == SW_INIT && s_valid && s_hit != '0), clk, rst)

  logic [VW-1:0] snap_rd [LANES];

  for (genvar l = 0; l < LANES; l++) begin : g_lane
    // ---- cycle 0: the operation and the live memory's read
    logic          upd0, swp0;
    logic [GL-1:0] addr0;
    logic [GL-1:0] ptr_q;
    assign upd0  = s_valid && s_hit[l] && kind_q != SW_INIT;
    assign swp0  = !upd0 && active_q[l];
    assign addr0 = upd0 ? s_group[GL*l +: GL] : ptr_q;

    always_ff @(posedge clk) begin
      if (rst) begin
        active_q[l] <= 1'b1;
        ptr_q       <= '0;
      end else if (kind_q == SW_IDLE && (clear || snap)) begin
        active_q[l] <= 1'b1;
        ptr_q       <= '0;
      end else if (swp0) begin
        ptr_q <= ptr_q + GL'(1);
        if (ptr_q == GL'(GROUPS_N - 1)) active_q[l] <= 1'b0;
      end
    end

    logic [EW-1:0] live_rd;
    logic          w_en;
    logic [GL-1:0] w_addr;
    logic [EW-1:0] w_data;
    dejfa_ram_1w1r #(.DEPTH(GROUPS_N), .WIDTH(EW), .STYLE("ultra")) u_live (
      .clk, .we(w_en), .waddr(w_addr), .wdata(w_data), .raddr(addr0), .rdata(live_rd)
    );

    // ---- cycle 1: the old value (forwarded from the last write), the new one, the writes
    logic          upd1_q, swp1_q;
    sweep_e        kind1_q;
    logic [GL-1:0] addr1_q;
    logic [1:0]    en1_q;
    logic [15:0]   bytes1_q;
    logic          fwd_q;       // the last cycle wrote the live entry read now
    logic [EW-1:0] fwd_data_q;
    always_ff @(posedge clk) begin
      upd1_q   <= upd0 && !rst;
      swp1_q   <= swp0 && !rst;
      kind1_q  <= kind_q;
      addr1_q  <= addr0;
      en1_q    <= s_en[2*l +: 2];
      bytes1_q <= s_bytes;
      fwd_q    <= w_en && w_addr == addr0;
      fwd_data_q <= w_data;
    end

    logic [EW-1:0] cur;
    logic          cur_gen, cur_epoch, live, fresh;
    logic [VW-1:0] old, nxt;
    assign cur       = fwd_q ? fwd_data_q : live_rd;
    assign cur_gen   = cur[VW+1];
    assign cur_epoch = cur[VW];
    assign live      = cur_gen == gen_q;               // of this generation: its counts hold
    assign fresh     = live && cur_epoch == epoch_q;   // updated since the snapshot
    assign old       = live ? cur[VW-1:0] : '0;
    for (genvar k = 0; k < 2; k++) begin : g_pos
      assign nxt[2*CNT_W*k +: CNT_W]         = old[2*CNT_W*k +: CNT_W] + CNT_W'(en1_q[k]);
      assign nxt[2*CNT_W*k + CNT_W +: CNT_W] = old[2*CNT_W*k + CNT_W +: CNT_W] + (en1_q[k] ? CNT_W'(bytes1_q) : '0);
    end

    logic          s_en_w;
    logic [VW-1:0] s_data;
    always_comb begin
      w_en   = 1'b0;
      w_addr = addr1_q;
      w_data = {gen_q, epoch_q, nxt};
      s_en_w = 1'b0;
      s_data = old;
      if (upd1_q) begin
        w_en   = 1'b1;
        s_en_w = !fresh;                    // copy-on-write: the value at the snapshot
      end else if (swp1_q) begin
        unique case (kind1_q)
          SW_INIT: begin
            w_en   = 1'b1;
            w_data = {gen_q, epoch_q, VW'(0)};
            s_en_w = 1'b1;
            s_data = '0;
          end
          SW_CLEAR: begin
            w_en   = !live;
            w_data = {gen_q, epoch_q, VW'(0)};
            s_en_w = !live;
            s_data = '0;
          end
          SW_SNAP: s_en_w = !fresh;
          default: ;
        endcase
      end
    end

    // The snapshot copy: written here, read by the host through its own port.
    dejfa_ram_1w1r #(.DEPTH(GROUPS_N), .WIDTH(VW), .STYLE("ultra")) u_snap (
      .clk, .we(s_en_w), .waddr(addr1_q), .wdata(s_data), .raddr(rd_group), .rdata(snap_rd[l])
    );
  end

  // Host reads: the lanes' snapshot copies are read at rd_group; the lane's is kept.
  logic          rd1_q;
  logic [LL-1:0] lane1_q;
  always_ff @(posedge clk) begin
    rd1_q   <= rd_valid && !rst;
    lane1_q <= rd_lane;
    rd_ack  <= rd1_q && !rst;
    rd_data <= snap_rd[lane1_q];
  end
endmodule

`resetall
`default_nettype wire
