// The UAPs koepel decodes: CAT048 ed. 1.21, CAT062 ed. 1.18, CAT034 ed. 1.27, CAT065 ed. 1.3.
// Field names follow the CroatiaControl `asterix` decoder's short names so that JSON output can be
// compared with its output (empty names: bits it does not print); layouts and scales follow the EUROCONTROL specifications
// (shared/standards/asterix.md). Scales give engineering units: s, NM, deg, FL, ft, m, m/s, kt.
#include "koepel/adapters/asterix/internal.h"

namespace koepel::adapters::asterix::internal {
namespace {

constexpr Enc U = Enc::kUnsigned;
constexpr Enc S = Enc::kSigned;
constexpr Enc H = Enc::kHex;
constexpr Enc O = Enc::kOctal;
constexpr Enc C6 = Enc::kIcao6;
constexpr Enc A = Enc::kAscii;

constexpr double kToD = 1.0 / 128;           // s
constexpr double kRho = 1.0 / 256;           // NM
constexpr double kAngle16 = 360.0 / 65536;   // deg
constexpr double kWgs25 = 180.0 / 33554432;  // deg, 180/2^25
constexpr double kWgs23 = 180.0 / 8388608;   // deg, 180/2^23
constexpr double kNmPerSToKt = 3600.0 / 16384;  // 2^-14 NM/s in kt

constexpr Format Fixed(std::span<const Field> f) { return {Kind::kFixed, f, {}, {}}; }
constexpr Format Extended(std::span<const std::span<const Field>> p) { return {Kind::kExtended, {}, p, {}}; }
constexpr Format Repetitive(std::span<const Field> f) { return {Kind::kRepetitive, f, {}, {}}; }
constexpr Format Compound(std::span<const Subfield> s) { return {Kind::kCompound, {}, {}, s}; }
constexpr Format kExplicitFormat{Kind::kExplicit, {}, {}, {}};
constexpr Format kBdsFormat{Kind::kBds, {}, {}, {}};
constexpr Format kNone{};

constexpr Field kSacSic[] = {{"SAC", 8}, {"SIC", 8}};
constexpr Field kTimeOfDay[] = {{"ToD", 24, U, kToD}};
constexpr Field kModeAValidated[] = {{"V", 1}, {"G", 1}, {"L", 1}, {"spare", 1}, {"Mode3A", 12, O}};

// ---------------------------------------------------------------------------------------------
// CAT048 monoradar target reports

constexpr Field k048_020a[] = {{"TYP", 3}, {"SIM", 1}, {"RDP", 1}, {"SPI", 1}, {"RAB", 1}, {"FX", 1}};
constexpr Field k048_020b[] = {{"TST", 1}, {"spare", 1}, {"XPP", 1}, {"ME", 1},
                               {"MI", 1},  {"FOEFRI", 2}, {"FX", 1}};
constexpr std::span<const Field> k048_020[] = {k048_020a, k048_020b};
constexpr Field k048_030a[] = {{"WE", 7}, {"FX", 1}};
constexpr std::span<const Field> k048_030[] = {k048_030a};
constexpr Field k048_040[] = {{"RHO", 16, U, kRho}, {"THETA", 16, U, kAngle16}};
constexpr Field k048_042[] = {{"X", 16, S, 1.0 / 128}, {"Y", 16, S, 1.0 / 128}};
constexpr Field k048_050[] = {{"V", 1}, {"G", 1}, {"L", 1}, {"spare", 1}, {"Mode2", 12, O}};
constexpr Field k048_055[] = {{"V", 1}, {"G", 1}, {"L", 1}, {"Mode1", 5}};
constexpr Field k048_060[] = {{"spare", 4}, {"QA4", 1}, {"QA2", 1}, {"QA1", 1}, {"QB4", 1}, {"QB2", 1}, {"QB1", 1},
                              {"QC4", 1},   {"QC2", 1}, {"QC1", 1}, {"QD4", 1}, {"QD2", 1}, {"QD1", 1}};
constexpr Field k048_065[] = {{"spare", 3}, {"QA4", 1}, {"QA2", 1}, {"QA1", 1}, {"QB2", 1}, {"QB1", 1}};
constexpr Field k048_090[] = {{"V", 1}, {"G", 1}, {"FL", 14, S, 0.25}};
constexpr Field k048_100[] = {{"V", 1},     {"G", 1},   {"spare", 2}, {"C1", 1},  {"A1", 1},  {"C2", 1},  {"A2", 1},
                              {"C4", 1},    {"A4", 1},  {"B1", 1},    {"D1", 1},  {"B2", 1},  {"D2", 1},  {"B4", 1},
                              {"D4", 1},    {"spare", 4}, {"QC1", 1}, {"QA1", 1}, {"QC2", 1}, {"QA2", 1}, {"QC4", 1},
                              {"QA4", 1},   {"QB1", 1}, {"QD1", 1},   {"QB2", 1}, {"QD2", 1}, {"QB4", 1}, {"QD4", 1}};
constexpr Field k048_110[] = {{"spare", 2}, {"3D_Height", 14, S, 25.0}};
constexpr Field k048_120_cal[] = {{"D", 1}, {"spare", 5}, {"CAL", 10, S}};
constexpr Field k048_120_rds[] = {{"DOP", 16, S}, {"AMB", 16}, {"FRQ", 16}};
constexpr Subfield k048_120[] = {{"CAL", Fixed(k048_120_cal)}, {"RDS", Repetitive(k048_120_rds)}};
constexpr Field k048_130_srl[] = {{"SRL", 8, U, 360.0 / 8192}};
constexpr Field k048_130_srr[] = {{"SRR", 8}};
constexpr Field k048_130_sam[] = {{"SAM", 8, S, 1.0}};
constexpr Field k048_130_prl[] = {{"PRL", 8, U, 360.0 / 8192}};
constexpr Field k048_130_pam[] = {{"PAM", 8, S, 1.0}};
constexpr Field k048_130_rpd[] = {{"RPD", 8, S, 1.0 / 256}};
constexpr Field k048_130_apd[] = {{"APD", 8, S, 360.0 / 16384}};
constexpr Subfield k048_130[] = {{"SRLP", Fixed(k048_130_srl)}, {"SRRP", Fixed(k048_130_srr)},
                                 {"SAMP", Fixed(k048_130_sam)}, {"PRLP", Fixed(k048_130_prl)},
                                 {"PAMP", Fixed(k048_130_pam)}, {"RPDP", Fixed(k048_130_rpd)},
                                 {"APDP", Fixed(k048_130_apd)}};
constexpr Field k048_161[] = {{"", 4}, {"Tn", 12}};  // spare bits not printed
constexpr Field k048_170a[] = {{"CNF", 1}, {"RAD", 2}, {"DOU", 1}, {"MAH", 1}, {"CDM", 2}, {"FX", 1}};
constexpr Field k048_170b[] = {{"TRE", 1}, {"GHO", 1}, {"SUP", 1}, {"TCC", 1}, {"spare", 3}, {"FX", 1}};
constexpr std::span<const Field> k048_170[] = {k048_170a, k048_170b};
constexpr Field k048_200[] = {{"CGS", 16, U, kNmPerSToKt}, {"CHdg", 16, U, kAngle16}};
constexpr Field k048_210[] = {{"SigX", 8, U, 1.0 / 128}, {"SigY", 8, U, 1.0 / 128},
                              {"SigV", 8, U, kNmPerSToKt}, {"SigH", 8, U, 360.0 / 4096}};
constexpr Field k048_220[] = {{"ACAddr", 24, H}};
constexpr Field k048_230[] = {{"COM", 3}, {"STAT", 3}, {"SI", 1}, {"spare", 1}, {"ModeSSSC", 1},
                              {"ARC", 1}, {"AIC", 1},  {"BDS16", 1}, {"BDS37", 4}};
constexpr Field k048_240[] = {{"TId", 48, C6}};
constexpr Field k048_260[] = {{"ACASRA", 56, H}};

constexpr UapItem k048Items[] = {
    {"010", Fixed(kSacSic)},     {"140", Fixed(kTimeOfDay)},      {"020", Extended(k048_020)},
    {"040", Fixed(k048_040)},    {"070", Fixed(kModeAValidated)}, {"090", Fixed(k048_090)},
    {"130", Compound(k048_130)}, {"220", Fixed(k048_220)},        {"240", Fixed(k048_240)},
    {"250", kBdsFormat},         {"161", Fixed(k048_161)},        {"042", Fixed(k048_042)},
    {"200", Fixed(k048_200)},    {"170", Extended(k048_170)},     {"210", Fixed(k048_210)},
    {"030", Extended(k048_030)}, {"080", Fixed(k048_060)},        {"100", Fixed(k048_100)},
    {"110", Fixed(k048_110)},    {"120", Compound(k048_120)},     {"230", Fixed(k048_230)},
    {"260", Fixed(k048_260)},    {"055", Fixed(k048_055)},        {"050", Fixed(k048_050)},
    {"065", Fixed(k048_065)},    {"060", Fixed(k048_060)},        {"SP", kExplicitFormat},
    {"RE", kExplicitFormat},
};

// ---------------------------------------------------------------------------------------------
// CAT062 SDPS system tracks

constexpr Field k062_015[] = {{"SID", 8}};
constexpr Field k062_040[] = {{"TrkN", 16}};
constexpr Field k062_060[] = {{"V", 1}, {"G", 1}, {"CH", 1}, {"spare", 1}, {"Mode3A", 12, O}};
constexpr Field k062_070[] = {{"ToT", 24, U, kToD}};
constexpr Field k062_080a[] = {{"MON", 1}, {"SPI", 1}, {"MRH", 1}, {"SRC", 3}, {"CNF", 1}, {"FX", 1}};
constexpr Field k062_080b[] = {{"SIM", 1}, {"TSE", 1}, {"TSB", 1}, {"FPC", 1}, {"AFF", 1}, {"STP", 1}, {"KOS", 1}, {"FX", 1}};
constexpr Field k062_080c[] = {{"AMA", 1}, {"MD4", 2}, {"ME", 1}, {"MI", 1}, {"MD5", 2}, {"FX", 1}};
constexpr Field k062_080d[] = {{"CST", 1}, {"PSR", 1}, {"SSR", 1}, {"MDS", 1}, {"ADS", 1}, {"SUC", 1}, {"AAC", 1}, {"FX", 1}};
constexpr Field k062_080e[] = {{"SDS", 2}, {"EMS", 3}, {"PFT", 1}, {"FPLT", 1}, {"FX", 1}};
constexpr Field k062_080f[] = {{"DUPT", 1}, {"DUPF", 1}, {"DUPM", 1}, {"SFC", 1}, {"IDD", 1}, {"IEC", 1}, {"spare", 1}, {"FX", 1}};
constexpr std::span<const Field> k062_080[] = {k062_080a, k062_080b, k062_080c, k062_080d, k062_080e, k062_080f};
constexpr Field k062_100[] = {{"X", 24, S, 0.5}, {"Y", 24, S, 0.5}};
constexpr Field k062_105[] = {{"Lat", 32, S, kWgs25}, {"Lon", 32, S, kWgs25}};
constexpr Field k062_120[] = {{"spare", 4}, {"Mode2", 12, O}};
constexpr Field k062_130[] = {{"Alt", 16, S, 6.25}};
constexpr Field k062_135[] = {{"QNH", 1}, {"CTBA", 15, S, 25.0}};
constexpr Field k062_136[] = {{"MFL", 16, S, 25.0}};
constexpr Field k062_185[] = {{"Vx", 16, S, 0.25}, {"Vy", 16, S, 0.25}};
constexpr Field k062_200[] = {{"TRANSA", 2}, {"LONGA", 2}, {"VERTA", 2}, {"ADF", 1}, {"spare", 1}};
constexpr Field k062_210[] = {{"Ax", 8, S, 0.25}, {"Ay", 8, S, 0.25}};
constexpr Field k062_220[] = {{"RoC", 16, S, 6.25}};
constexpr Field k062_245[] = {{"STI", 2}, {"spare", 6}, {"TId", 48, C6}};
constexpr Field k062_270a[] = {{"LENGTH", 7, U, 1.0}, {"FX", 1}};
constexpr Field k062_270b[] = {{"ORIENTATION", 7, U, 360.0 / 128}, {"FX", 1}};
constexpr Field k062_270c[] = {{"WIDTH", 7, U, 1.0}, {"FX", 1}};
constexpr std::span<const Field> k062_270[] = {k062_270a, k062_270b, k062_270c};
constexpr Field k062_300[] = {{"VFI", 8}};
constexpr Field k062_510a[] = {{"SID", 8}, {"STN", 15}, {"FX", 1}};
constexpr std::span<const Field> k062_510[] = {k062_510a};

// I062/110 Mode 5
constexpr Field k062_110_sum[] = {{"M5", 1}, {"ID", 1}, {"DA", 1}, {"M1", 1}, {"M2", 1}, {"M3", 1}, {"MC", 1}, {"X", 1}};
constexpr Field k062_110_pmn[] = {{"spare", 2}, {"PIN", 14}, {"spare", 3}, {"NAT", 5}, {"spare", 2}, {"MIS", 6}};
constexpr Field k062_110_pos[] = {{"Lat", 24, S, kWgs23}, {"Lon", 24, S, kWgs23}};
constexpr Field k062_110_ga[] = {{"spare", 1}, {"RES", 1}, {"GA", 14, S, 25.0}};
constexpr Field k062_110_em1[] = {{"spare", 4}, {"EM1", 12, O}};
constexpr Field k062_110_tos[] = {{"TOS", 8, S, kToD}};
constexpr Field k062_110_xp[] = {{"spare", 3}, {"X5", 1}, {"XC", 1}, {"X3", 1}, {"X2", 1}, {"X1", 1}};
constexpr Subfield k062_110[] = {{"SUM", Fixed(k062_110_sum)}, {"PMN", Fixed(k062_110_pmn)},
                                 {"POS", Fixed(k062_110_pos)}, {"GA", Fixed(k062_110_ga)},
                                 {"EM1", Fixed(k062_110_em1)}, {"TOS", Fixed(k062_110_tos)},
                                 {"XP", Fixed(k062_110_xp)}};

// I062/290 System Track Update Ages, I062/295 Track Data Ages (all 1/4 s)
constexpr Field k290_trk[] = {{"TRK", 8, U, 0.25}};
constexpr Field k290_psr[] = {{"PSR", 8, U, 0.25}};
constexpr Field k290_ssr[] = {{"SSR", 8, U, 0.25}};
constexpr Field k290_mds[] = {{"MDS", 8, U, 0.25}};
constexpr Field k290_ads[] = {{"ADS", 16, U, 0.25}};
constexpr Field k290_es[] = {{"ES", 8, U, 0.25}};
constexpr Field k290_vdl[] = {{"VDL", 8, U, 0.25}};
constexpr Field k290_uat[] = {{"UAT", 8, U, 0.25}};
constexpr Field k290_lop[] = {{"LOP", 8, U, 0.25}};
constexpr Field k290_mlt[] = {{"MLT", 8, U, 0.25}};
constexpr Subfield k062_290[] = {{"TRK", Fixed(k290_trk)}, {"PSR", Fixed(k290_psr)}, {"SSR", Fixed(k290_ssr)},
                                 {"MDS", Fixed(k290_mds)}, {"ADS", Fixed(k290_ads)}, {"ES", Fixed(k290_es)},
                                 {"VDL", Fixed(k290_vdl)}, {"UAT", Fixed(k290_uat)}, {"LOP", Fixed(k290_lop)},
                                 {"MLT", Fixed(k290_mlt)}};
#define KOEPEL_AGE(name) constexpr Field k295_##name[] = {{#name, 8, U, 0.25}};
KOEPEL_AGE(MFL) KOEPEL_AGE(MD1) KOEPEL_AGE(MD2) KOEPEL_AGE(MDA) KOEPEL_AGE(MD4) KOEPEL_AGE(MD5)
KOEPEL_AGE(MHG) KOEPEL_AGE(IAS) KOEPEL_AGE(TAS) KOEPEL_AGE(SAL) KOEPEL_AGE(FSS) KOEPEL_AGE(TID)
KOEPEL_AGE(COM) KOEPEL_AGE(SAB) KOEPEL_AGE(ACS) KOEPEL_AGE(BVR) KOEPEL_AGE(GVR) KOEPEL_AGE(RAN)
KOEPEL_AGE(TAR) KOEPEL_AGE(TAN) KOEPEL_AGE(GSP) KOEPEL_AGE(VUN) KOEPEL_AGE(MET) KOEPEL_AGE(EMC)
KOEPEL_AGE(POS) KOEPEL_AGE(GAL) KOEPEL_AGE(PUN) KOEPEL_AGE(MB) KOEPEL_AGE(IAR) KOEPEL_AGE(MAC)
KOEPEL_AGE(BPS)
#undef KOEPEL_AGE
constexpr Subfield k062_295[] = {
    {"MFL", Fixed(k295_MFL)}, {"MD1", Fixed(k295_MD1)}, {"MD2", Fixed(k295_MD2)}, {"MDA", Fixed(k295_MDA)},
    {"MD4", Fixed(k295_MD4)}, {"MD5", Fixed(k295_MD5)}, {"MHG", Fixed(k295_MHG)}, {"IAS", Fixed(k295_IAS)},
    {"TAS", Fixed(k295_TAS)}, {"SAL", Fixed(k295_SAL)}, {"FSS", Fixed(k295_FSS)}, {"TID", Fixed(k295_TID)},
    {"COM", Fixed(k295_COM)}, {"SAB", Fixed(k295_SAB)}, {"ACS", Fixed(k295_ACS)}, {"BVR", Fixed(k295_BVR)},
    {"GVR", Fixed(k295_GVR)}, {"RAN", Fixed(k295_RAN)}, {"TAR", Fixed(k295_TAR)}, {"TAN", Fixed(k295_TAN)},
    {"GSP", Fixed(k295_GSP)}, {"VUN", Fixed(k295_VUN)}, {"MET", Fixed(k295_MET)}, {"EMC", Fixed(k295_EMC)},
    {"POS", Fixed(k295_POS)}, {"GAL", Fixed(k295_GAL)}, {"PUN", Fixed(k295_PUN)}, {"MB", Fixed(k295_MB)},
    {"IAR", Fixed(k295_IAR)}, {"MAC", Fixed(k295_MAC)}, {"BPS", Fixed(k295_BPS)}};

// I062/340 Measured Information
constexpr Field k062_340_pos[] = {{"RHO", 16, U, kRho}, {"THETA", 16, U, kAngle16}};
constexpr Field k062_340_hei[] = {{"HEIGHT", 16, S, 25.0}};
constexpr Field k062_340_mdc[] = {{"CV", 1}, {"CG", 1}, {"ModeC", 14, S, 0.25}};
constexpr Field k062_340_typ[] = {{"TYP", 3}, {"SIM", 1}, {"RAB", 1}, {"TST", 1}, {"spare", 2}};
constexpr Subfield k062_340[] = {{"SID", Fixed(kSacSic)},       {"POS", Fixed(k062_340_pos)},
                                 {"HEI", Fixed(k062_340_hei)},  {"MDC", Fixed(k062_340_mdc)},
                                 {"MDA", Fixed(kModeAValidated)}, {"TYP", Fixed(k062_340_typ)}};

// I062/380 Aircraft Derived Data
constexpr Field k380_adr[] = {{"ADR", 24, H}};
constexpr Field k380_id[] = {{"ACID", 48, C6}};
constexpr Field k380_mhg[] = {{"MHG", 16, U, kAngle16}};
constexpr Field k380_ias[] = {{"IM", 1}, {"AS", 15}};
constexpr Field k380_tas[] = {{"TAS", 16}};
constexpr Field k380_sal[] = {{"SAS", 1}, {"Source", 2}, {"Alt", 13, S, 25.0}};
constexpr Field k380_fss[] = {{"MV", 1}, {"AH", 1}, {"AM", 1}, {"Alt", 13, S, 25.0}};
constexpr Field k380_tis_a[] = {{"NAV", 1}, {"NVB", 1}, {"spare", 5}, {"FX", 1}};
constexpr std::span<const Field> k380_tis[] = {k380_tis_a};
constexpr Field k380_tid[] = {{"TCA", 1}, {"NC", 1},   {"TCPN", 6},           {"Alt", 16, S, 10.0},
                              {"Lat", 24, S, kWgs23}, {"Lon", 24, S, kWgs23}, {"PT", 4}, {"TD", 2},
                              {"TRA", 1}, {"TOA", 1}, {"TOV", 24, U, 1.0}, {"TTR", 16, U, 0.01}};
constexpr Field k380_com[] = {{"COM", 3}, {"STAT", 3}, {"spare", 2}, {"SSC", 1},
                              {"ARC", 1}, {"AIC", 1},  {"B1A", 1},   {"B1B", 4}};
constexpr Field k380_sab[] = {{"AC", 2}, {"MN", 2}, {"DC", 2}, {"GBS", 1}, {"spare", 6}, {"STAT", 3}};
constexpr Field k380_acs[] = {{"ACS", 56, H}};
constexpr Field k380_bvr[] = {{"BVR", 16, S, 6.25}};
constexpr Field k380_gvr[] = {{"GVR", 16, S, 6.25}};
constexpr Field k380_ran[] = {{"RAN", 16, S, 0.01}};
constexpr Field k380_tar[] = {{"TI", 2}, {"spare", 6}, {"ROT", 7, S, 0.25}, {"spare", 1}};
constexpr Field k380_tan[] = {{"TAN", 16, U, kAngle16}};
constexpr Field k380_gs[] = {{"GS", 16, S, kNmPerSToKt}};
constexpr Field k380_vun[] = {{"VUN", 8}};
constexpr Field k380_met[] = {{"WS", 1},          {"WD", 1},          {"TMP", 1},
                              {"TRB", 1},         {"spare", 4},       {"WSD", 16, U, 1.0},
                              {"WDD", 16, U, 1.0}, {"TMPD", 16, S, 0.25}, {"TRBD", 8}};
constexpr Field k380_emc[] = {{"ECAT", 8}};
constexpr Field k380_pos[] = {{"Lat", 24, S, kWgs23}, {"Lon", 24, S, kWgs23}};
constexpr Field k380_gal[] = {{"GAL", 16, S, 6.25}};
constexpr Field k380_pun[] = {{"spare", 4}, {"PUN", 4}};
constexpr Field k380_iar[] = {{"IAR", 16}};
constexpr Field k380_mac[] = {{"MAC", 16, U, 0.008}};
constexpr Field k380_bps[] = {{"spare", 4}, {"BPS", 12, U, 0.1}};
constexpr Subfield k062_380[] = {
    {"ADR", Fixed(k380_adr)}, {"ID", Fixed(k380_id)},        {"MHG", Fixed(k380_mhg)},
    {"IAS", Fixed(k380_ias)}, {"TAS", Fixed(k380_tas)},      {"SAL", Fixed(k380_sal)},
    {"FSS", Fixed(k380_fss)}, {"TIS", Extended(k380_tis)},   {"TID", Repetitive(k380_tid)},
    {"COM", Fixed(k380_com)}, {"SAB", Fixed(k380_sab)},      {"ACS", Fixed(k380_acs)},
    {"BVR", Fixed(k380_bvr)}, {"GVR", Fixed(k380_gvr)},      {"RAN", Fixed(k380_ran)},
    {"TAR", Fixed(k380_tar)}, {"TAN", Fixed(k380_tan)},      {"GS", Fixed(k380_gs)},
    {"VUN", Fixed(k380_vun)}, {"MET", Fixed(k380_met)},      {"EMC", Fixed(k380_emc)},
    {"POS", Fixed(k380_pos)}, {"GAL", Fixed(k380_gal)},      {"PUN", Fixed(k380_pun)},
    {"MB", kBdsFormat},       {"IAR", Fixed(k380_iar)},      {"MAC", Fixed(k380_mac)},
    {"BPS", Fixed(k380_bps)}};

// I062/390 Flight Plan Related Data
constexpr Field k390_csn[] = {{"CS", 56, A}};
constexpr Field k390_ifi[] = {{"TYP", 2}, {"spare", 3}, {"NBR", 27}};
constexpr Field k390_fct[] = {{"GATOAT", 2}, {"FR1FR2", 2}, {"RVSM", 2}, {"HPR", 1}, {"spare", 1}};
constexpr Field k390_tac[] = {{"TYPE", 32, A}};
constexpr Field k390_wtc[] = {{"WTC", 8, A}};
constexpr Field k390_dep[] = {{"DEP", 32, A}};
constexpr Field k390_dst[] = {{"DES", 32, A}};
constexpr Field k390_rds[] = {{"NU1", 8, A}, {"NU2", 8, A}, {"LTR", 8, A}};
constexpr Field k390_cfl[] = {{"CFL", 16, U, 0.25}};
constexpr Field k390_ctl[] = {{"CENTRE", 8}, {"POSITION", 8}};
constexpr Field k390_tod[] = {{"TYP", 5},   {"DAY", 2}, {"spare", 4}, {"HOR", 5}, {"spare", 2},
                              {"MIN", 6},   {"AVS", 1}, {"spare", 1}, {"SEC", 6}};
constexpr Field k390_ast[] = {{"AST", 48, A}};
constexpr Field k390_sts[] = {{"EMP", 2}, {"AVL", 2}, {"spare", 4}};
constexpr Field k390_std[] = {{"STD", 56, A}};
constexpr Field k390_sta[] = {{"STA", 56, A}};
constexpr Field k390_pem[] = {{"VA", 1}, {"spare", 3}, {"PEM", 12, O}};
constexpr Field k390_pec[] = {{"PEC", 56, A}};
constexpr Subfield k062_390[] = {
    {"TAG", Fixed(kSacSic)},  {"CSN", Fixed(k390_csn)}, {"IFI", Fixed(k390_ifi)},      {"FCT", Fixed(k390_fct)},
    {"TAC", Fixed(k390_tac)}, {"WTC", Fixed(k390_wtc)}, {"DEP", Fixed(k390_dep)},      {"DST", Fixed(k390_dst)},
    {"RDS", Fixed(k390_rds)}, {"CFL", Fixed(k390_cfl)}, {"CTL", Fixed(k390_ctl)},      {"TOD", Repetitive(k390_tod)},
    {"AST", Fixed(k390_ast)}, {"STS", Fixed(k390_sts)}, {"STD", Fixed(k390_std)},      {"STA", Fixed(k390_sta)},
    {"PEM", Fixed(k390_pem)}, {"PEC", Fixed(k390_pec)}};

// I062/500 Estimated Accuracies
constexpr Field k500_apc[] = {{"APCX", 16, U, 0.5}, {"APCY", 16, U, 0.5}};
constexpr Field k500_cov[] = {{"COV", 16, U, 0.5}};
constexpr Field k500_apw[] = {{"APWLat", 16, U, kWgs25}, {"APWLon", 16, U, kWgs25}};
constexpr Field k500_aga[] = {{"AGA", 8, U, 6.25}};
constexpr Field k500_aba[] = {{"ABA", 8, U, 0.25}};
constexpr Field k500_atv[] = {{"ATVX", 8, U, 0.25}, {"ATVY", 8, U, 0.25}};
constexpr Field k500_aa[] = {{"AAX", 8, U, 0.25}, {"AAY", 8, U, 0.25}};
constexpr Field k500_arc[] = {{"ARC", 8, U, 6.25}};
constexpr Subfield k062_500[] = {{"APC", Fixed(k500_apc)}, {"COV", Fixed(k500_cov)}, {"APW", Fixed(k500_apw)},
                                 {"AGA", Fixed(k500_aga)}, {"ABA", Fixed(k500_aba)}, {"ATV", Fixed(k500_atv)},
                                 {"AA", Fixed(k500_aa)},   {"ARC", Fixed(k500_arc)}};

constexpr UapItem k062Items[] = {
    {"010", Fixed(kSacSic)},     {"", kNone},                  {"015", Fixed(k062_015)},
    {"070", Fixed(k062_070)},    {"105", Fixed(k062_105)},     {"100", Fixed(k062_100)},
    {"185", Fixed(k062_185)},    {"210", Fixed(k062_210)},     {"060", Fixed(k062_060)},
    {"245", Fixed(k062_245)},    {"380", Compound(k062_380)},  {"040", Fixed(k062_040)},
    {"080", Extended(k062_080)}, {"290", Compound(k062_290)},  {"200", Fixed(k062_200)},
    {"295", Compound(k062_295)}, {"136", Fixed(k062_136)},     {"130", Fixed(k062_130)},
    {"135", Fixed(k062_135)},    {"220", Fixed(k062_220)},     {"390", Compound(k062_390)},
    {"270", Extended(k062_270)}, {"300", Fixed(k062_300)},     {"110", Compound(k062_110)},
    {"120", Fixed(k062_120)},    {"510", Extended(k062_510)},  {"500", Compound(k062_500)},
    {"340", Compound(k062_340)}, {"", kNone},                  {"", kNone},
    {"", kNone},                 {"", kNone},                  {"", kNone},
    {"RE", kExplicitFormat},     {"SP", kExplicitFormat},
};

// ---------------------------------------------------------------------------------------------
// CAT034 radar service messages

constexpr Field k034_000[] = {{"MsgTyp", 8}};
constexpr Field k034_020[] = {{"Azi", 8, U, 360.0 / 256}};
constexpr Field k034_041[] = {{"RotS", 16, U, 1.0 / 128}};
constexpr Field k034_050_com[] = {{"NOGO", 1}, {"RDPC", 1}, {"RDPR", 1}, {"OVLRDP", 1},
                                  {"OVLXMT", 1}, {"MSC", 1}, {"TSV", 1}, {"spare", 1}};
constexpr Field k034_050_psr[] = {{"PSRANT", 1}, {"PSRCHAB", 2}, {"PSROVL", 1}, {"PSRMSC", 1}, {"spare", 3}};
constexpr Field k034_050_ssr[] = {{"SSRANT", 1}, {"SSRCHAB", 2}, {"SSROVL", 1}, {"SSRMSC", 1}, {"spare", 3}};
constexpr Field k034_050_mds[] = {{"MDSANT", 1}, {"MDSCHAB", 2}, {"MDSOVLSUR", 1}, {"MDSMSC", 1}, {"MDSSCF", 1},
                                  {"MDSDLF", 1}, {"MDSOVLSCF", 1}, {"MDSOVLDLF", 1}, {"spare", 7}};
constexpr Subfield k034_050[] = {{"COM", Fixed(k034_050_com)}, {"", kNone}, {"", kNone},
                                 {"PSR", Fixed(k034_050_psr)}, {"SSR", Fixed(k034_050_ssr)},
                                 {"MDS", Fixed(k034_050_mds)}};
constexpr Field k034_060_com[] = {{"spare", 1}, {"REDRDP", 3}, {"REDXMT", 3}, {"spare", 1}};
constexpr Field k034_060_psr[] = {{"POL", 1}, {"PSRREDRAD", 3}, {"STC", 2}, {"spare", 2}};
constexpr Field k034_060_ssr[] = {{"SSRREDRAD", 3}, {"spare", 5}};
constexpr Field k034_060_mds[] = {{"MDSREDRAD", 3}, {"CLU", 1}, {"spare", 4}};
constexpr Subfield k034_060[] = {{"COM", Fixed(k034_060_com)}, {"", kNone}, {"", kNone},
                                 {"PSR", Fixed(k034_060_psr)}, {"SSR", Fixed(k034_060_ssr)},
                                 {"MDS", Fixed(k034_060_mds)}};
constexpr Field k034_070[] = {{"TYP", 5}, {"COUNTER", 11}};
constexpr Field k034_090[] = {{"RNG", 8, S, 1.0 / 128}, {"AZM", 8, S, 360.0 / 16384}};
constexpr Field k034_100[] = {{"RHOST", 16, U, kRho}, {"RHOEND", 16, U, kRho},
                              {"THETAST", 16, U, kAngle16}, {"THETAEND", 16, U, kAngle16}};
constexpr Field k034_110[] = {{"TYP", 8}};
constexpr Field k034_120[] = {{"Height", 16, S, 1.0}, {"LAT", 24, S, kWgs23}, {"Lon", 24, S, kWgs23}};

constexpr UapItem k034Items[] = {
    {"010", Fixed(kSacSic)},     {"000", Fixed(k034_000)},   {"030", Fixed(kTimeOfDay)},
    {"020", Fixed(k034_020)},    {"041", Fixed(k034_041)},   {"050", Compound(k034_050)},
    {"060", Compound(k034_060)}, {"070", Repetitive(k034_070)}, {"100", Fixed(k034_100)},
    {"110", Fixed(k034_110)},    {"120", Fixed(k034_120)},   {"090", Fixed(k034_090)},
    {"RE", kExplicitFormat},     {"SP", kExplicitFormat},
};

// ---------------------------------------------------------------------------------------------
// CAT065 SDPS service status messages

constexpr Field k065_000[] = {{"Typ", 8}};
constexpr Field k065_015[] = {{"SID", 8}};
constexpr Field k065_020[] = {{"BTN", 8}};
constexpr Field k065_040[] = {{"NOGO", 2}, {"OVL", 1}, {"TSV", 1}, {"PSS", 2}, {"STTN", 1}, {"spare", 1}};
constexpr Field k065_050[] = {{"REP", 8}};

constexpr UapItem k065Items[] = {
    {"010", Fixed(kSacSic)},  {"000", Fixed(k065_000)}, {"015", Fixed(k065_015)}, {"030", Fixed(kTimeOfDay)},
    {"020", Fixed(k065_020)}, {"040", Fixed(k065_040)}, {"050", Fixed(k065_050)}, {"", kNone},
    {"", kNone},              {"", kNone},              {"", kNone},              {"", kNone},
    {"RE", kExplicitFormat},  {"SP", kExplicitFormat},
};

constexpr Uap kUaps[] = {
    {34, "1.27", k034Items},
    {48, "1.21", k048Items},
    {62, "1.18", k062Items},
    {65, "1.3", k065Items},
};

}  // namespace

const Uap* FindUap(int category) {
  for (const Uap& uap : kUaps) {
    if (uap.category == category) return &uap;
  }
  return nullptr;
}

}  // namespace koepel::adapters::asterix::internal
