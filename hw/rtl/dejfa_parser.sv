// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_parser: header parser. Taps the input AXI4-Stream (never back-pressures), captures the
 * first HDR_WIN_B bytes of each frame and, once the frame's last beat has passed, decodes
 * Ethernet II, up to 2 VLAN tags, IPv4 (options) or IPv6 (up to 2 extension headers among
 * hop-by-hop, routing, fragment, destination options), then TCP, UDP, ICMP or ICMPv6.
 * The descriptor equals the reference model's decoder (host/model/src/decode.cpp) field for field,
 * including the malformed reason; fields of a layer that is not valid are zero.
 *
 * Throughput: one frame per cycle (a frame may end on every beat).
 * Latency: 4 cycles from the handshake of a frame's last beat to m_hdr_valid.
 * Assumes packed tkeep (all ones except on the last beat, contiguous from lane 0).
 */
module dejfa_parser #(
  /// AXI4-Stream data width in bits (multiple of 64)
  parameter int unsigned DATA_W = 64,
  /// header window in bytes (a multiple of DATA_W/8, at most 128)
  parameter int unsigned HDR_WIN_B = 128,
  /// tkeep width (derived)
  localparam int unsigned KEEP_W = DATA_W / 8
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous active-high reset
  input  wire logic                rst,

  /// observed stream data
  input  wire logic [DATA_W-1:0]   s_axis_tdata,
  /// observed stream byte enables
  input  wire logic [KEEP_W-1:0]   s_axis_tkeep,
  /// observed stream valid
  input  wire logic                s_axis_tvalid,
  /// observed stream ready (driven by the stream's consumer)
  input  wire logic                s_axis_tready,
  /// observed stream end of frame
  input  wire logic                s_axis_tlast,

  /// one-cycle pulse: a frame's descriptor
  output logic                     m_hdr_valid,
  /// frame length in bytes (saturates at 65535)
  output logic [15:0]              m_hdr_frame_len,
  /// malformed reason (0 none; codes as dejfa::Malformed)
  output logic [3:0]               m_hdr_malformed,
  /// VLAN tags seen
  output logic [1:0]               m_hdr_vlans,
  /// IP header decoded: the following L3 fields are valid
  output logic                     m_hdr_ip,
  /// IPv6 (else IPv4)
  output logic                     m_hdr_v6,
  /// source address (IPv4 in bits 31:0)
  output logic [127:0]             m_hdr_src,
  /// destination address (IPv4 in bits 31:0)
  output logic [127:0]             m_hdr_dst,
  /// IPv4 protocol / last IPv6 next header
  output logic [7:0]               m_hdr_proto,
  /// TTL / hop limit
  output logic [7:0]               m_hdr_ttl,
  /// any fragment
  output logic                     m_hdr_frag,
  /// fragment offset > 0 (no L4 header)
  output logic                     m_hdr_later_frag,
  /// L4 kind: 0 none, 1 TCP, 2 UDP, 3 ICMP, 4 ICMPv6
  output logic [2:0]               m_hdr_l4,
  /// TCP/UDP source port
  output logic [15:0]              m_hdr_sport,
  /// TCP/UDP destination port
  output logic [15:0]              m_hdr_dport,
  /// TCP flags
  output logic [7:0]               m_hdr_tcp_flags,
  /// ICMP type
  output logic [7:0]               m_hdr_icmp_type,
  /// ICMP code
  output logic [7:0]               m_hdr_icmp_code,
  /// payload offset/length valid
  output logic                     m_hdr_payload_valid,
  /// payload offset from the start of the frame
  output logic [15:0]              m_hdr_payload_off,
  /// payload length
  output logic [15:0]              m_hdr_payload_len
);

  localparam int unsigned WIN_W = HDR_WIN_B * 8;
  localparam int unsigned WIN_BEATS = HDR_WIN_B / KEEP_W;
  localparam int unsigned BEAT_CW = 16;

  // Malformed reasons, from the one source (hw/dejfa_regs.toml).
  localparam logic [3:0] MAL_NONE = dejfa_regs_pkg::MAL_NONE;
  localparam logic [3:0] MAL_RUNT = dejfa_regs_pkg::MAL_RUNT;
  localparam logic [3:0] MAL_VLAN = dejfa_regs_pkg::MAL_VLAN;
  localparam logic [3:0] MAL_IP4_HDR = dejfa_regs_pkg::MAL_IP4_HDR;
  localparam logic [3:0] MAL_IP4_LEN = dejfa_regs_pkg::MAL_IP4_LEN;
  localparam logic [3:0] MAL_IP6_HDR = dejfa_regs_pkg::MAL_IP6_HDR;
  localparam logic [3:0] MAL_IP6_EXT = dejfa_regs_pkg::MAL_IP6_EXT;
  localparam logic [3:0] MAL_L4 = dejfa_regs_pkg::MAL_L4;
  localparam logic [3:0] MAL_WINDOW = dejfa_regs_pkg::MAL_WINDOW;

  initial begin
    if (DATA_W % 64 != 0) $fatal(1, "dejfa_parser: DATA_W must be a multiple of 64 (instance %m)");
    if (HDR_WIN_B > 128 || HDR_WIN_B % KEEP_W != 0 || HDR_WIN_B < 64) begin
      $fatal(1, "dejfa_parser: HDR_WIN_B must be 64..128 and a multiple of DATA_W/8 (%m)");
    end
  end

  // ---------------------------------------------------------------- helpers
  function automatic logic [7:0] wbyte(input logic [WIN_W-1:0] w, input logic [6:0] i);
    wbyte = w[{i, 3'b000} +: 8];
  endfunction

  function automatic logic [15:0] wbe16(input logic [WIN_W-1:0] w, input logic [6:0] i);
    wbe16 = {wbyte(w, i), wbyte(w, i + 7'd1)};
  endfunction

  // Bounds check of a header read ending at byte `e` (exclusive): truncated frame first, then
  // the header window (the decoder's Reader::need).
  function automatic logic [3:0] need(input logic [17:0] e, input logic [16:0] len,
                                      input logic [3:0] trunc);
    if (e > {1'b0, len}) need = trunc;
    else if (e > 18'(HDR_WIN_B)) need = MAL_WINDOW;
    else need = MAL_NONE;
  endfunction

  // ---------------------------------------------------------------- capture
  wire logic beat = s_axis_tvalid && s_axis_tready;
  logic [WIN_W-1:0]    win_q;
  logic [BEAT_CW-1:0]  beat_idx_q;
  logic [16:0]         len_q;

  logic [7:0] keep_cnt;
  always_comb begin
    keep_cnt = '0;
    for (int k = 0; k < KEEP_W; k++) keep_cnt = keep_cnt + {7'd0, s_axis_tkeep[k]};
  end

  logic [WIN_W-1:0] win_d;
  always_comb begin
    win_d = win_q;
    for (int k = 0; k < WIN_BEATS; k++) begin
      if (beat_idx_q == BEAT_CW'(k)) win_d[k*DATA_W +: DATA_W] = s_axis_tdata;
    end
  end

  wire logic [16:0] len_sum = len_q + {9'd0, keep_cnt};
  wire logic [16:0] len_d = len_sum[16] ? 17'h0FFFF : len_sum;

  // stage 1 registers: a captured frame
  logic              s1_valid_q;
  logic [WIN_W-1:0]  s1_win_q;
  logic [16:0]       s1_len_q;

  always_ff @(posedge clk) begin
    s1_valid_q <= 1'b0;
    if (beat) begin
      win_q <= win_d;
      if (s_axis_tlast) begin
        s1_valid_q <= 1'b1;
        s1_win_q   <= win_d;
        s1_len_q   <= len_d;
        beat_idx_q <= '0;
        len_q      <= '0;
      end else begin
        beat_idx_q <= (beat_idx_q == '1) ? beat_idx_q : beat_idx_q + 1'b1;
        len_q      <= len_d;
      end
    end
    if (rst) begin
      s1_valid_q <= 1'b0;
      beat_idx_q <= '0;
      len_q      <= '0;
    end
  end

  // ---------------------------------------------------------------- stage 1: L2
  logic [3:0]  l2_mal;
  logic [1:0]  l2_vlans;
  logic [15:0] l2_et;
  always_comb begin
    l2_mal   = MAL_NONE;
    l2_vlans = 2'd0;
    l2_et    = wbe16(s1_win_q, 7'd12);
    if (need(18'd14, s1_len_q, MAL_RUNT) != MAL_NONE) begin
      l2_mal = MAL_RUNT;
    end else if (l2_et == 16'h8100 || l2_et == 16'h88A8) begin
      if (need(18'd18, s1_len_q, MAL_VLAN) != MAL_NONE) begin
        l2_mal = need(18'd18, s1_len_q, MAL_VLAN);
      end else begin
        l2_vlans = 2'd1;
        l2_et    = wbe16(s1_win_q, 7'd16);
        if (l2_et == 16'h8100 || l2_et == 16'h88A8) begin
          if (need(18'd22, s1_len_q, MAL_VLAN) != MAL_NONE) begin
            l2_mal = need(18'd22, s1_len_q, MAL_VLAN);
          end else begin
            l2_vlans = 2'd2;
            l2_et    = wbe16(s1_win_q, 7'd20);
            if (l2_et == 16'h8100 || l2_et == 16'h88A8) l2_mal = MAL_VLAN;  // a third tag
          end
        end
      end
    end
  end

  logic              s2_valid_q;
  logic [WIN_W-1:0]  s2_win_q;
  logic [16:0]       s2_len_q;
  logic [3:0]        s2_mal_q;
  logic [1:0]        s2_vlans_q;
  logic [15:0]       s2_et_q;
  always_ff @(posedge clk) begin
    s2_valid_q <= s1_valid_q;
    s2_win_q   <= s1_win_q;
    s2_len_q   <= s1_len_q;
    s2_mal_q   <= l2_mal;
    s2_vlans_q <= l2_vlans;
    s2_et_q    <= l2_et;
    if (rst) s2_valid_q <= 1'b0;
  end

  // ---------------------------------------------------------------- stage 2: L3
  // The L3 header starts at 14, 18 or 22: select its first 48 bytes once (IPv6 header and the
  // first extension header's fixed part), then read fields at constant offsets.
  localparam int unsigned HB = 48;
  wire logic [6:0] l3 = 7'd14 + {3'd0, s2_vlans_q, 2'b00};
  logic [8*HB-1:0] h;
  always_comb begin
    case (s2_vlans_q)
      2'd0:    h = s2_win_q[8*14 +: 8*HB];
      2'd1:    h = s2_win_q[8*18 +: 8*HB];
      default: h = s2_win_q[8*22 +: 8*HB];
    endcase
  end
  function automatic logic [7:0] hb(input logic [8*HB-1:0] v, input int unsigned k);
    hb = v[8*k +: 8];
  endfunction

  wire logic [7:0]  v4_b0 = hb(h, 0);
  wire logic [17:0] v4_ihl = {12'd0, v4_b0[3:0], 2'b00};
  wire logic [15:0] v4_tot = {hb(h, 2), hb(h, 3)};
  wire logic [7:0]  v4_b6 = hb(h, 6);
  wire logic [7:0]  v4_b7 = hb(h, 7);
  wire logic [15:0] v6_plen = {hb(h, 4), hb(h, 5)};
  wire logic [17:0] l3_18 = {11'd0, l3};

  // IPv6 extension headers: the first at l3 + 40 (constant within h), the second at a variable
  // offset x1 (one barrel shift of the window).
  wire logic [7:0]  x0_nh = hb(h, 6);
  wire logic [17:0] x0 = l3_18 + 18'd40;
  wire logic [7:0]  e1_0 = hb(h, 40);
  wire logic [7:0]  e1_1 = hb(h, 41);
  wire logic [15:0] e1_23 = {hb(h, 42), hb(h, 43)};
  wire logic        x0_ext = x0_nh == 8'd0 || x0_nh == 8'd43 || x0_nh == 8'd44 || x0_nh == 8'd60;
  wire logic [17:0] x0_len = (x0_nh == 8'd44) ? 18'd8 : {7'd0, e1_1, 3'b000} + 18'd8;
  wire logic [17:0] x1 = x0 + x0_len;
  wire logic [WIN_W-1:0] w_at_x1 = s2_win_q >> {x1[6:0], 3'b000};
  wire logic [7:0]  e2_0 = w_at_x1[7:0];
  wire logic [7:0]  e2_1 = w_at_x1[15:8];
  wire logic [15:0] e2_23 = {w_at_x1[23:16], w_at_x1[31:24]};
  wire logic        x1_ext = e1_0 == 8'd0 || e1_0 == 8'd43 || e1_0 == 8'd44 || e1_0 == 8'd60;
  wire logic [17:0] x1_len = (e1_0 == 8'd44) ? 18'd8 : {7'd0, e2_1, 3'b000} + 18'd8;
  wire logic [17:0] x2 = x1 + x1_len;
  wire logic        x2_ext = e2_0 == 8'd0 || e2_0 == 8'd43 || e2_0 == 8'd44 || e2_0 == 8'd60;

  logic [3:0]   l3_mal;
  logic         l3_ip, l3_v6, l3_frag, l3_later;
  logic [127:0] l3_src, l3_dst;
  logic [7:0]   l3_proto, l3_ttl;
  logic [17:0]  l3_end;  // end of the IP packet (bytes)
  logic [17:0]  l3_l4;   // start of the L4 header / IP payload

  always_comb begin
    l3_mal   = MAL_NONE;
    l3_ip    = 1'b0;
    l3_v6    = 1'b0;
    l3_frag  = 1'b0;
    l3_later = 1'b0;
    l3_src   = '0;
    l3_dst   = '0;
    l3_proto = '0;
    l3_ttl   = '0;
    l3_end   = '0;
    l3_l4    = '0;
    if (s2_mal_q != MAL_NONE) begin
      l3_mal = s2_mal_q;
    end else if (s2_et_q == 16'h0800) begin
      // IPv4: the decoder's checks, in its order
      if (need(l3_18 + 18'd20, s2_len_q, MAL_IP4_HDR) != MAL_NONE) begin
        l3_mal = need(l3_18 + 18'd20, s2_len_q, MAL_IP4_HDR);
      end else if (v4_b0[7:4] != 4'd4 || v4_b0[3:0] < 4'd5) begin
        l3_mal = MAL_IP4_HDR;
      end else if (need(l3_18 + v4_ihl, s2_len_q, MAL_IP4_HDR) != MAL_NONE) begin
        l3_mal = need(l3_18 + v4_ihl, s2_len_q, MAL_IP4_HDR);
      end else if ({2'd0, v4_tot} < v4_ihl || l3_18 + {2'd0, v4_tot} > {1'b0, s2_len_q}) begin
        l3_mal = MAL_IP4_LEN;
      end else begin
        l3_ip    = 1'b1;
        l3_ttl   = hb(h, 8);
        l3_proto = hb(h, 9);
        l3_src[31:0] = {hb(h, 12), hb(h, 13), hb(h, 14), hb(h, 15)};
        l3_dst[31:0] = {hb(h, 16), hb(h, 17), hb(h, 18), hb(h, 19)};
        l3_frag  = v4_b6[5] || v4_b6[4:0] != 5'd0 || v4_b7 != 8'd0;
        l3_later = v4_b6[4:0] != 5'd0 || v4_b7 != 8'd0;
        l3_end   = l3_18 + {2'd0, v4_tot};
        l3_l4    = l3_18 + v4_ihl;
      end
    end else if (s2_et_q == 16'h86DD) begin
      // IPv6
      if (need(l3_18 + 18'd40, s2_len_q, MAL_IP6_HDR) != MAL_NONE) begin
        l3_mal = need(l3_18 + 18'd40, s2_len_q, MAL_IP6_HDR);
      end else if (v4_b0[7:4] != 4'd6 || x0 + {2'd0, v6_plen} > {1'b0, s2_len_q}) begin
        l3_mal = MAL_IP6_HDR;
      end else begin
        l3_v6  = 1'b1;
        l3_ttl = hb(h, 7);
        for (int k = 0; k < 16; k++) begin
          l3_src[8*(15-k) +: 8] = hb(h, 8 + k);
          l3_dst[8*(15-k) +: 8] = hb(h, 24 + k);
        end
        l3_end   = x0 + {2'd0, v6_plen};
        l3_proto = x0_nh;
        l3_l4    = x0;
        if (x0_ext) begin
          // first extension header at x0
          if (x0 + 18'd8 > l3_end) begin
            l3_mal = MAL_IP6_EXT;
          end else if (need(x0 + 18'd8, s2_len_q, MAL_IP6_EXT) != MAL_NONE) begin
            l3_mal = need(x0 + 18'd8, s2_len_q, MAL_IP6_EXT);
          end else if (x1 > l3_end) begin
            l3_mal = MAL_IP6_EXT;
          end else begin
            if (x0_nh == 8'd44) begin
              l3_frag = 1'b1;
              l3_later = e1_23[15:3] != 13'd0;
            end
            l3_proto = e1_0;
            l3_l4    = x1;
            if (x1_ext) begin
              // second extension header at x1
              if (x1 + 18'd8 > l3_end) begin
                l3_mal = MAL_IP6_EXT;
              end else if (need(x1 + 18'd8, s2_len_q, MAL_IP6_EXT) != MAL_NONE) begin
                l3_mal = need(x1 + 18'd8, s2_len_q, MAL_IP6_EXT);
              end else if (x2 > l3_end) begin
                l3_mal = MAL_IP6_EXT;
              end else begin
                if (e1_0 == 8'd44) begin
                  l3_frag = 1'b1;
                  if (e2_23[15:3] != 13'd0) l3_later = 1'b1;
                end
                l3_proto = e2_0;
                l3_l4    = x2;
                if (x2_ext) l3_mal = MAL_IP6_EXT;  // a third extension header
              end
            end
          end
        end
        l3_ip = l3_mal == MAL_NONE;
      end
    end
  end

  logic              s3_valid_q;
  logic [WIN_W-1:0]  s3_win_q;
  logic [16:0]       s3_len_q;
  logic [3:0]        s3_mal_q;
  logic [1:0]        s3_vlans_q;
  logic              s3_ip_q, s3_v6_q, s3_frag_q, s3_later_q;
  logic [127:0]      s3_src_q, s3_dst_q;
  logic [7:0]        s3_proto_q, s3_ttl_q;
  logic [17:0]       s3_end_q, s3_l4_q;
  always_ff @(posedge clk) begin
    s3_valid_q <= s2_valid_q;
    s3_win_q   <= s2_win_q;
    s3_len_q   <= s2_len_q;
    s3_mal_q   <= l3_mal;
    s3_vlans_q <= s2_vlans_q;
    s3_ip_q    <= l3_ip;
    s3_v6_q    <= l3_v6;
    s3_frag_q  <= l3_frag;
    s3_later_q <= l3_later;
    s3_src_q   <= l3_src;
    s3_dst_q   <= l3_dst;
    s3_proto_q <= l3_proto;
    s3_ttl_q   <= l3_ttl;
    s3_end_q   <= l3_end;
    s3_l4_q    <= l3_l4;
    if (rst) s3_valid_q <= 1'b0;
  end

  // ---------------------------------------------------------------- stage 3: L4
  logic [3:0]  l4_mal;
  logic [2:0]  l4_kind;
  logic [15:0] l4_sport, l4_dport;
  logic [7:0]  l4_flags, l4_itype, l4_icode;
  logic        l4_pvalid;
  logic [17:0] l4_poff, l4_plen;
  wire logic [17:0] avail = s3_end_q - s3_l4_q;
  // The L4 header's first 14 bytes, from one barrel shift of the window (used only when they
  // lie inside the window, which the need() checks establish).
  wire logic [WIN_W-1:0] w_at_l4 = s3_win_q >> {s3_l4_q[6:0], 3'b000};
  wire logic [8*14-1:0]  tb = w_at_l4[8*14-1:0];
  function automatic logic [7:0] tbyte(input logic [8*14-1:0] v, input int unsigned k);
    tbyte = v[8*k +: 8];
  endfunction
  wire logic [7:0]  t12 = tbyte(tb, 12);
  wire logic [5:0]  doff = {t12[7:4], 2'b00};
  wire logic [15:0] ulen = {tbyte(tb, 4), tbyte(tb, 5)};

  always_comb begin
    l4_mal    = s3_mal_q;
    l4_kind   = 3'd0;
    l4_sport  = '0;
    l4_dport  = '0;
    l4_flags  = '0;
    l4_itype  = '0;
    l4_icode  = '0;
    l4_pvalid = 1'b0;
    l4_poff   = s3_l4_q;
    l4_plen   = avail;
    if (s3_ip_q && s3_mal_q == MAL_NONE) begin
      if (s3_later_q) begin
        l4_pvalid = 1'b1;
      end else if (s3_proto_q == 8'd6) begin
        if (avail < 18'd20) begin
          l4_mal = MAL_L4;
        end else if (need(s3_l4_q + 18'd14, s3_len_q, MAL_L4) != MAL_NONE) begin
          l4_mal = need(s3_l4_q + 18'd14, s3_len_q, MAL_L4);
        end else if (doff < 6'd20 || {12'd0, doff} > avail) begin
          l4_mal = MAL_L4;
        end else begin
          l4_kind   = 3'd1;
          l4_sport  = {tbyte(tb, 0), tbyte(tb, 1)};
          l4_dport  = {tbyte(tb, 2), tbyte(tb, 3)};
          l4_flags  = tbyte(tb, 13);
          l4_poff   = s3_l4_q + {12'd0, doff};
          l4_plen   = avail - {12'd0, doff};
          l4_pvalid = 1'b1;
        end
      end else if (s3_proto_q == 8'd17) begin
        if (avail < 18'd8) begin
          l4_mal = MAL_L4;
        end else if (need(s3_l4_q + 18'd6, s3_len_q, MAL_L4) != MAL_NONE) begin
          l4_mal = need(s3_l4_q + 18'd6, s3_len_q, MAL_L4);
        end else if (ulen < 16'd8 || {2'd0, ulen} > avail) begin
          l4_mal = MAL_L4;
        end else begin
          l4_kind   = 3'd2;
          l4_sport  = {tbyte(tb, 0), tbyte(tb, 1)};
          l4_dport  = {tbyte(tb, 2), tbyte(tb, 3)};
          l4_poff   = s3_l4_q + 18'd8;
          l4_plen   = {2'd0, ulen} - 18'd8;
          l4_pvalid = 1'b1;
        end
      end else if ((s3_proto_q == 8'd1 && !s3_v6_q) || (s3_proto_q == 8'd58 && s3_v6_q)) begin
        if (avail < 18'd8) begin
          l4_mal = MAL_L4;
        end else if (need(s3_l4_q + 18'd2, s3_len_q, MAL_L4) != MAL_NONE) begin
          l4_mal = need(s3_l4_q + 18'd2, s3_len_q, MAL_L4);
        end else begin
          l4_kind   = s3_v6_q ? 3'd4 : 3'd3;
          l4_itype  = tbyte(tb, 0);
          l4_icode  = tbyte(tb, 1);
          l4_poff   = s3_l4_q + 18'd8;
          l4_plen   = avail - 18'd8;
          l4_pvalid = 1'b1;
        end
      end else begin
        l4_pvalid = 1'b1;  // other IP protocols: the IP payload
      end
    end
  end

  // ---------------------------------------------------------------- output register
  always_ff @(posedge clk) begin
    m_hdr_valid         <= s3_valid_q;
    m_hdr_frame_len     <= s3_len_q[15:0];
    m_hdr_malformed     <= l4_mal;
    m_hdr_vlans         <= s3_vlans_q;
    m_hdr_ip            <= s3_ip_q;
    m_hdr_v6            <= s3_ip_q && s3_v6_q;
    m_hdr_src           <= s3_ip_q ? s3_src_q : '0;
    m_hdr_dst           <= s3_ip_q ? s3_dst_q : '0;
    m_hdr_proto         <= s3_ip_q ? s3_proto_q : '0;
    m_hdr_ttl           <= s3_ip_q ? s3_ttl_q : '0;
    m_hdr_frag          <= s3_ip_q && s3_frag_q;
    m_hdr_later_frag    <= s3_ip_q && s3_later_q;
    m_hdr_l4            <= l4_kind;
    m_hdr_sport         <= l4_sport;
    m_hdr_dport         <= l4_dport;
    m_hdr_tcp_flags     <= l4_flags;
    m_hdr_icmp_type     <= l4_itype;
    m_hdr_icmp_code     <= l4_icode;
    m_hdr_payload_valid <= l4_pvalid;
    m_hdr_payload_off   <= l4_pvalid ? l4_poff[15:0] : '0;
    m_hdr_payload_len   <= l4_pvalid ? l4_plen[15:0] : '0;
    if (rst) m_hdr_valid <= 1'b0;
  end

  // Bits read for their neighbours' sake (DF/reserved flags, fragment M/res bits, TCP reserved
  // bits) and the top of 18-bit arithmetic whose valid results fit 16 bits.
  wire logic unused_ok = &{1'b0, v4_b6[7:6], e1_23[2:0], e2_23[2:0], l4_poff[17:16],
                           l4_plen[17:16], t12[3:0], w_at_x1[WIN_W-1:32], w_at_l4[WIN_W-1:8*14]};

  // Packed streams only: a beat that is not the last carries all its bytes.
  `DEJFA_ASSERT(PackedKeep_A, !(beat && !s_axis_tlast) || &s_axis_tkeep, clk, rst)

endmodule

`resetall
`default_nettype wire
