"""A large directory made from the sample, as gbshare-bench's SyntheticDirectory does: row i keeps
the sample row's fields, and digits 15-20 of its code become i, so every code is unique."""
import csv
import io


def write_synthetic(sample_csv, rows, path):
    with open(sample_csv, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    header, body = lines[0], [line for line in lines[1:] if line]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        for index in range(rows):
            line = body[index % len(body)]
            code = line.split(",", 1)[0]
            if len(code) == 20:
                line = code[:14] + f"{index % 1_000_000:06d}" + line[20:]
            out.write(line + "\n")
    return path


def read_planted(findings_csv):
    """(row, field, rule) of each mistake planted in the sample."""
    with open(findings_csv, encoding="utf-8") as handle:
        return [(int(row["row"]), row["field"], row["rule"]) for row in csv.DictReader(handle)]


def platform_form_csv():
    """A small platform form (Lu'an form 1 headers): one good row, one with a bad code and value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["平台编码", "名称", "平台厂商", "是否符合GB/T 28181", "网络类型", "是否已对接本级“雪亮平台”", "摄像机数量"])
    writer.writerow(["44150000002000000001", "汕尾市公安视频平台", "海康威视", "是", "公安视频专线", "是", "1200"])
    writer.writerow(["4415", "城区教育视频平台", "大华", "也许", "互联网", "否", "很多"])
    return out.getvalue()
