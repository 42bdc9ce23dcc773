/*
 * ledger — the two ledgers offices keep in spreadsheets today and count by
 * hand every quarter:
 *   1. 政务信息: information items each unit submits and their adoptions
 *      by publications, the points each earns (seed 003), statistics
 *      against the quota, and the facts that feed the 政务信息工作考评表;
 *   2. the division-of-work tasks (seed 002), their deadlines resolved to
 *      dates on China's working-day calendar, and progress per lead unit.
 *
 * (Each section below is the public surface of one part of the ledger.)
 */
#ifndef KP_LEDGER_H
#define KP_LEDGER_H

#include "base/base.h"
#include "catalog/catalog.h"

/* ---- 1. information submissions and adoptions (info.c) ---------------- */

/* ---- 2. division-of-work tasks, deadlines, calendar (tasks.c) --------- */

#endif
