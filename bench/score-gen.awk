# Synthetic national round for bench/score.sh: a 100-indicator table, a
# registry of N units and their facts.  Deterministic (srand(1)).
#   awk -v what=table|units|facts -v units=14000 -f bench/score-gen.awk
# Table: 10 first-level groups of 10 points, each with 10 one-point leaves:
# 6 judged (an assessor's 0..1 in tenths), 2 binary (all or nothing), 2
# deductions (0.25 per occurrence, at most the point).  Facts per unit:
# every judged leaf scored by the assessor and a third also self-scored,
# every binary leaf decided, half the deduction leaves with 1..3
# occurrences: ~100 facts a unit, as a provincial inspection records them.
function unit(i) { return sprintf("测试单位%05d", i) }
BEGIN {
  srand(1)
  if (what == "table") {
    print "#meta,format,kaoping-table/1"
    print "#meta,kind,indicators"
    print "#meta,id,bench-national"
    print "#meta,title,基准：全国政府网站绩效评估（合成）"
    print "#meta,year,2024"
    print "#meta,total,100"
    print "code,path,points,rule,params"
    for (g = 1; g <= 10; g++) {
      printf "%d,指标组%02d,10,sum,\n", g, g
      for (k = 1; k <= 10; k++) {
        if (k <= 6) printf "%d.%d,指标组%02d/评分项%02d,1,judged,\n", g, k, g, k
        else if (k <= 8) printf "%d.%d,指标组%02d/达标项%02d,1,binary,\n", g, k, g, k
        else printf "%d.%d,指标组%02d/扣分项%02d,1,deduct,amount=0.25;each\n", g, k, g, k
      }
    }
  } else if (what == "units") {
    print "#meta,format,kaoping-table/1"
    print "#meta,kind,units"
    print "#meta,id,bench-units"
    print "#meta,title,基准：合成单位名录"
    print "name,type,aliases"
    for (i = 1; i <= units; i++)
      printf "%s,%s,\n", unit(i), (i % 10 == 0) ? "县区" : "市级部门"
  } else {
    print "unit,indicator,kind,name,value,source,author,time,url,note"
    for (i = 1; i <= units; i++) {
      u = unit(i)
      for (g = 1; g <= 10; g++) {
        for (k = 1; k <= 10; k++) {
          if (k <= 6) {
            v = int(rand() * 11) / 10
            printf "%s,%d.%d,score,,%s,assessor,评估组,2024-11-01,,\n", u, g, k, v
            if (rand() < 0.33)
              printf "%s,%d.%d,score,,%s,self,%s,2024-10-15,,\n", u, g, k, (v < 1 ? v + 0.1 : v), u
          } else if (k <= 8) {
            printf "%s,%d.%d,score,,%d,assessor,评估组,2024-11-01,,\n", u, g, k, (rand() < 0.8)
          } else if (rand() < 0.5) {
            printf "%s,%d.%d,fail,,%d,inspect,检测,2024-11-01,,\n", u, g, k, 1 + int(rand() * 3)
          }
        }
      }
    }
  }
}
