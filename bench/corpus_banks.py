"""Text banks written for the project's token corpus (bench/corpus_wide.py): news, dialogue,
classical Chinese (public-domain classics, typed in), social media, Chinese technical writing
and code in languages other than Python. Every entry here was written for this project or is a
public-domain classical text; nothing is copied from a third-party source. (Long lines: one entry per line.)"""

# ruff: noqa: E501

from __future__ import annotations

NEWS_ZH = [
    "据{city}市统计局{month}月{day}日发布的数据，今年前三季度全市地区生产总值同比增长{pct}%，增速比上半年加快{small}个百分点。",
    "{city}地铁{num}号线二期工程今天正式开通运营，全长{km}公里，共设车站{small}座，预计日均客流量将超过{big}万人次。",
    "记者从{city}市教育局获悉，今年秋季学期全市新增中小学学位{big}个，新建、改扩建学校{small}所。",
    "受冷空气影响，{city}未来三天将出现明显降温，最低气温可降至{small}摄氏度，气象部门提醒市民注意防寒保暖。",
    "{month}月{day}日，第{num}届国际科技博览会在{city}开幕，来自{small}个国家和地区的{big}家企业参展。",
    "国家统计局今天公布，{month}月份全国居民消费价格指数同比上涨{pct}%，环比持平。",
    "{city}警方近日成功破获一起电信诈骗案件，抓获犯罪嫌疑人{small}名，涉案金额达{big}万元。",
    "为方便市民出行，{city}公交集团自下月起将新开和调整{small}条公交线路，覆盖{num}个新建小区。",
    "在刚刚结束的全国游泳锦标赛上，{city}队选手以{sec}秒的成绩打破全国纪录，获得男子一百米自由泳冠军。",
    "据海关总署统计，今年前{month}个月我国货物贸易进出口总值{big}亿元，同比增长{pct}%。",
    "{city}市政府常务会议审议通过了《关于进一步优化营商环境的若干措施》，共提出{num}条具体举措。",
    "当地时间{day}日，联合国安理会就地区局势举行紧急会议，多国代表呼吁各方保持克制、通过对话解决分歧。",
    "{city}图书馆新馆今日向公众开放，馆藏图书超过{big}万册，设有阅览座位{num}个。",
    "今年以来，{city}累计发放消费券{big}万元，带动消费超过{num}亿元。",
    "农业农村部表示，今年全国秋粮收获已过{pct}成，总体进度快于去年同期。",
    "{city}机场第{small}航站楼今日启用，年旅客吞吐能力将提升至{big}万人次。",
    "受台风影响，{city}今天全天停课，部分航班和列车停运，市民应尽量减少外出。",
    "{city}新能源汽车销量连续{small}个月保持增长，{month}月份销量达到{big}辆。",
    "文化和旅游部数据显示，国庆假期全国国内旅游出游{num}亿人次，按可比口径同比增长{pct}%。",
    "{city}今年将新建口袋公园{num}个，让市民出门{small}分钟即可到达绿地。",
]
NEWS_EN = [
    "{city} (Reuters) - The central bank held its benchmark rate at {pct}% on {weekday}, citing easing inflation and a cooling labour market.",
    "Officials in {city} said {big} residents were evacuated after heavy rain caused flooding along the river on {weekday} night.",
    "Shares of the chipmaker rose {pct}% in early trading after it reported quarterly revenue of ${num} billion, beating analysts' estimates.",
    "The city council voted {small}-{tiny} on {weekday} to approve a ${num} million plan to expand the light-rail network by {km} kilometres.",
    "Scientists at a university in {city} said the new battery can be recharged {big} times while keeping {pct}% of its capacity.",
    "The national statistics office said retail sales rose {pct}% in {monthname}, the fastest pace since early last year.",
    "Firefighters contained the blaze near {city} after three days, but not before it burned through about {big} hectares of forest.",
    "The airline said it would add {small} new routes from {city} next summer and hire {big} more cabin crew.",
    "In a statement released on {weekday}, the ministry said talks with trading partners would resume in {monthname}.",
    "{city} won {small}-{tiny} at home on {weekday}, moving up to {tiny}th place in the league with {num} games left to play.",
    "Health authorities reported {big} new cases last week and urged older residents to get a booster before winter.",
    "The company plans to cut about {big} jobs, or {pct}% of its workforce, as it restructures its European operations.",
    "Voters in {city} head to the polls on {weekday} in a closely watched mayoral race that polls show is too close to call.",
    "The museum in {city} will return {small} artefacts to their country of origin under an agreement signed in {monthname}.",
    "Oil prices fell {pct}% to ${num} a barrel after data showed inventories rose more than expected.",
    "Researchers tracked {big} households over {small} years and found that commuting time was closely linked to sleep quality.",
    "The prime minister arrived in {city} on {weekday} for a two-day visit focused on energy and trade.",
    "Home prices in {city} fell {pct}% from a year earlier in {monthname}, according to a private survey.",
    "The space agency said the probe would reach orbit in {monthname} after a journey of {big} million kilometres.",
    "Police said {small} people were injured when a bus collided with a truck on the highway outside {city}.",
]
DIALOGUE = [
    "用户：我想订一张明天上午从{city}到上海的高铁票，二等座。\n助手：好的，明天上午有{small}趟车次有余票，最早的一班是{hour}点{minute}分出发，需要我帮您预订吗？",
    "User: Can you help me write a short email asking my manager for Friday off?\nAssistant: Sure. Here is a draft: \"Hi Sam, could I take this Friday off? My tasks are on track and Lee can cover urgent requests.\"",
    "A：你周末有空吗？\nB：周六下午有空，怎么了？\nA：我们几个人打算去{city}爬山，一起去吧！\nB：好啊，几点集合？",
    "User: My Python script says ModuleNotFoundError: No module named 'requests'.\nAssistant: The package isn't installed in the environment you are running. Try `python -m pip install requests` with the same interpreter.",
    "顾客：你好，这件衣服有没有大一号的？\n店员：有的，请稍等，我去仓库帮您找一下。\n顾客：谢谢，另外可以刷卡吗？\n店员：可以的，微信、支付宝和银行卡都支持。",
    "Customer: Hi, my order #{big} arrived damaged.\nAgent: I'm sorry to hear that! Could you send a photo of the box and the item? I'll arrange a replacement right away.",
    "学生：老师，这道题我算出来是{small}，但答案是{num}。\n老师：你看第二步，单位换算的时候是不是少乘了一个一千？",
    "User: 帮我把这句话翻译成英文：“我们下周三开会讨论预算。”\nAssistant: \"We will meet next Wednesday to discuss the budget.\"",
    "Alice: Did you see the game last night?\nBob: Only the second half. That last-minute goal was unbelievable.\nAlice: I know! I screamed so loud my neighbour knocked on the wall.",
    "患者：医生，我最近总是睡不好，半夜会醒好几次。\n医生：这种情况持续多久了？平时有没有喝咖啡或者浓茶的习惯？",
    "User: What's the difference between a list and a tuple?\nAssistant: Lists are mutable, so you can add or remove items; tuples are immutable and can be used as dictionary keys.",
    "妈妈：今天作业写完了吗？\n孩子：还剩数学的两道应用题。\n妈妈：先写完再看电视，好不好？\n孩子：好吧，那我写完可以看半个小时吗？",
]
SOCIAL = [
    "今天终于把{city}的火锅吃上了🔥🔥🔥 辣到怀疑人生但是真的太香了！！#美食打卡 #{city}",
    "just shipped v{small}.{tiny} of my side project 🚀 took way longer than planned lol. feedback welcome 👉 https://example.com/p/{big}",
    "有没有人知道{city}哪里可以修老式相机？在线等，挺急的😭 @摄影爱好者小王",
    "Monday mood: ☕☕☕ + 47 unread emails + a meeting that could've been an email 🙃 #mondaymotivation",
    "转发这条锦鲤🐟，期末考试全部通过！！！🙏🙏 #考试周 #锦鲤",
    "PSA: the {city} marathon is on Sunday so half the roads downtown are closed 🏃‍♀️🚧 plan ahead!",
    "【抽奖】关注+转发，{month}月{day}日抽{small}位朋友送新款耳机🎧 详情见置顶～",
    "hot take: tabs > spaces and I will not be taking questions 😤 #programming #devlife",
    "第{num}天坚持早起跑步🏃 今天配速{minute}分{small}秒，比上周快了一点点💪 #自律 #跑步",
    "ngl the new cafe on 5th st is 🔥 their oat latte >>> everything else. 10/10 would recommend ✨",
    "谁懂啊！！下班路上看到超美的晚霞🌇 随手一拍都是壁纸 #治愈系 #随手拍",
    "Reminder that you are doing great 💛 drink some water, stretch, and close a few tabs 😌",
    "周末去{city}看展，人超级多但是值得！！📸 最喜欢第三个展厅的那幅画 #看展 #周末去哪儿",
    "ok who decided standup should be at 8:30am 😩 asking for a friend #remotework",
    "新买的机械键盘到了⌨️ 手感绝了，就是声音有点大，室友已经开始抗议了😂",
    "Just finished my first 10k 🏅 legs are jelly but heart is full 🥹 thanks for all the support!! #running",
    "求推荐{city}好吃的早餐店🥟🥣 最好是本地人常去的那种，谢谢大家🙏",
    "that moment when the bug was a missing semicolon the whole time 🤡 #webdev #javascript",
    "今日份快乐：猫主子终于肯让我摸肚子了🐱💕 #铲屎官日常",
    "Rainy Sunday = soup, blanket, and a long book 📚🌧️ what are you reading this week?",
    "刚刚在地铁上看到有人用Kindle看《三体》📖 默默点了个赞👍 #阅读",
    "new blog post is up ✍️ \"5 things I learned shipping a Rust CLI\" → https://example.dev/blog/{big} 🦀",
    "又是加班到十点的一天🌙 给自己点了杯奶茶续命🧋 #打工人",
    "Happy Friday!! 🎉 Drop your weekend plans below 👇",
]
TECH_ZH = [
    "在高并发场景下，建议使用连接池复用数据库连接，并为每个查询设置合理的超时时间，以避免请求堆积。",
    "该接口采用 RESTful 风格设计，所有请求和响应均使用 JSON 格式，字段名统一使用小写字母加下划线。",
    "部署前请确认环境变量 DATABASE_URL 已正确配置，否则服务启动时会抛出配置错误并立即退出。",
    "缓存失效策略采用 LRU 算法，当缓存容量达到上限时，最近最少使用的条目会被优先淘汰。",
    "为了保证数据一致性，写操作在主库执行，读操作通过负载均衡分发到多个只读副本。",
    "日志级别分为 DEBUG、INFO、WARNING 和 ERROR 四级，生产环境默认只输出 INFO 及以上级别的日志。",
    "单元测试覆盖率需达到百分之八十以上，合并请求在持续集成流水线全部通过后才能进入代码评审。",
    "当上游服务返回 429 状态码时，客户端应读取 Retry-After 头并按指数退避策略重试，最多重试五次。",
    "模型推理服务使用 GPU 进行批处理，单批次最大序列长度为 8192，超出部分将被截断。",
    "本文档介绍如何在 Kubernetes 集群中通过 Helm Chart 部署应用，并配置水平自动扩缩容。",
    "消息队列保证至少一次投递，因此消费者需要实现幂等处理，避免重复消费导致的数据错误。",
    "配置文件支持 YAML 和 TOML 两种格式，命令行参数的优先级高于环境变量，环境变量高于配置文件。",
    "函数的时间复杂度为 O(n log n)，空间复杂度为 O(n)，适合处理百万级别的数据量。",
    "升级到新版本之前，请先备份数据库，并在测试环境中验证迁移脚本能够正常执行。",
    "前端页面采用组件化开发，公共组件统一放在 components 目录下，并编写对应的单元测试。",
    "如果请求体超过 10 MB，网关会直接返回 413 错误，请改用分片上传接口。",
    "索引能够显著提升查询速度，但会增加写入开销，因此只应为高频查询的字段建立索引。",
    "本服务的可用性目标为 99.9%，每月允许的不可用时间约为 43 分钟。",
    "调用方需要在请求头中携带签名，签名由请求路径、时间戳和密钥通过 HMAC-SHA256 计算得到。",
    "垃圾回收器会在堆内存使用率超过阈值时触发，停顿时间通常在毫秒级别。",
]
CLASSICAL = [
    "子曰：“学而时习之，不亦说乎？有朋自远方来，不亦乐乎？人不知而不愠，不亦君子乎？”有子曰：“其为人也孝弟，而好犯上者，鲜矣；不好犯上，而好作乱者，未之有也。”",
    "道可道，非常道；名可名，非常名。无名天地之始；有名万物之母。故常无欲，以观其妙；常有欲，以观其徼。此两者同出而异名，同谓之玄。玄之又玄，众妙之门。",
    "晋太元中，武陵人捕鱼为业。缘溪行，忘路之远近。忽逢桃花林，夹岸数百步，中无杂树，芳草鲜美，落英缤纷。渔人甚异之。复前行，欲穷其林。林尽水源，便得一山，山有小口，仿佛若有光。",
    "庆历四年春，滕子京谪守巴陵郡。越明年，政通人和，百废具兴。乃重修岳阳楼，增其旧制，刻唐贤今人诗赋于其上。属予作文以记之。不以物喜，不以己悲。居庙堂之高则忧其民；处江湖之远则忧其君。",
    "先帝创业未半而中道崩殂，今天下三分，益州疲弊，此诚危急存亡之秋也。然侍卫之臣不懈于内，忠志之士忘身于外者，盖追先帝之殊遇，欲报之于陛下也。",
    "山不在高，有仙则名。水不在深，有龙则灵。斯是陋室，惟吾德馨。苔痕上阶绿，草色入帘青。谈笑有鸿儒，往来无白丁。可以调素琴，阅金经。无丝竹之乱耳，无案牍之劳形。",
    "水陆草木之花，可爱者甚蕃。晋陶渊明独爱菊。自李唐来，世人甚爱牡丹。予独爱莲之出淤泥而不染，濯清涟而不妖，中通外直，不蔓不枝，香远益清，亭亭净植，可远观而不可亵玩焉。",
    "古之学者必有师。师者，所以传道受业解惑也。人非生而知之者，孰能无惑？惑而不从师，其为惑也，终不解矣。生乎吾前，其闻道也固先乎吾，吾从而师之。",
    "君子曰：学不可以已。青，取之于蓝，而青于蓝；冰，水为之，而寒于水。木直中绳，輮以为轮，其曲中规。虽有槁暴，不复挺者，輮使之然也。",
    "永和九年，岁在癸丑，暮春之初，会于会稽山阴之兰亭，修禊事也。群贤毕至，少长咸集。此地有崇山峻岭，茂林修竹，又有清流激湍，映带左右，引以为流觞曲水，列坐其次。",
    "环滁皆山也。其西南诸峰，林壑尤美，望之蔚然而深秀者，琅琊也。山行六七里，渐闻水声潺潺而泻出于两峰之间者，酿泉也。峰回路转，有亭翼然临于泉上者，醉翁亭也。",
    "鱼，我所欲也；熊掌，亦我所欲也。二者不可得兼，舍鱼而取熊掌者也。生，亦我所欲也；义，亦我所欲也。二者不可得兼，舍生而取义者也。",
    "关关雎鸠，在河之洲。窈窕淑女，君子好逑。参差荇菜，左右流之。窈窕淑女，寤寐求之。求之不得，寤寐思服。悠哉悠哉，辗转反侧。",
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。白日依山尽，黄河入海流。欲穷千里目，更上一层楼。春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。",
    "北冥有鱼，其名为鲲。鲲之大，不知其几千里也。化而为鸟，其名为鹏。鹏之背，不知其几千里也；怒而飞，其翼若垂天之云。是鸟也，海运则将徙于南冥。",
    "陈胜者，阳城人也，字涉。吴广者，阳夏人也，字叔。陈涉少时，尝与人佣耕，辍耕之垄上，怅恨久之，曰：“苟富贵，无相忘。”佣者笑而应曰：“若为佣耕，何富贵也？”",
    "壬戌之秋，七月既望，苏子与客泛舟游于赤壁之下。清风徐来，水波不兴。举酒属客，诵明月之诗，歌窈窕之章。少焉，月出于东山之上，徘徊于斗牛之间。",
    "大学之道，在明明德，在亲民，在止于至善。知止而后有定，定而后能静，静而后能安，安而后能虑，虑而后能得。物有本末，事有终始，知所先后，则近道矣。",
    "兵者，国之大事，死生之地，存亡之道，不可不察也。知己知彼，百战不殆；不知彼而知己，一胜一负；不知彼，不知己，每战必殆。",
    "豫章故郡，洪都新府。星分翼轸，地接衡庐。落霞与孤鹜齐飞，秋水共长天一色。渔舟唱晚，响穷彭蠡之滨；雁阵惊寒，声断衡阳之浦。",
]
CODE_OTHER = [
    """function debounce(fn, wait = 200) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn.apply(this, args), wait);
  };
}
""",
    """export async function fetchUser(id: string): Promise<User | null> {
  const res = await fetch(`/api/users/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as User;
}
""",
    """package main

import (
\t"fmt"
\t"net/http"
)

func health(w http.ResponseWriter, r *http.Request) {
\tw.Header().Set("Content-Type", "application/json")
\tfmt.Fprintln(w, `{"status":"ok"}`)
}

func main() {
\thttp.HandleFunc("/health", health)
\thttp.ListenAndServe(":8080", nil)
}
""",
    """use std::collections::HashMap;

fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}
""",
    """SELECT c.name, COUNT(o.id) AS orders, SUM(o.total) AS revenue
FROM customers AS c
LEFT JOIN orders AS o ON o.customer_id = c.id AND o.created_at >= DATE '2026-01-01'
WHERE c.country = 'CN'
GROUP BY c.name
HAVING COUNT(o.id) > 3
ORDER BY revenue DESC
LIMIT 20;
""",
    """#!/usr/bin/env bash
set -euo pipefail
for file in "$@"; do
  if [[ -f "$file" ]]; then
    gzip -9 --keep "$file" && echo "compressed $file"
  else
    echo "skip: $file is not a file" >&2
  fi
done
""",
    """public final class RateLimiter {
    private final long capacity;
    private double tokens;
    private long lastRefill = System.nanoTime();

    public RateLimiter(long capacity) { this.capacity = capacity; this.tokens = capacity; }

    public synchronized boolean tryAcquire() {
        refill();
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
""",
    """#include <stdio.h>
#include <string.h>

static void reverse(char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t;
    }
}

int main(void) { char buf[] = "hello"; reverse(buf); printf("%s\\n", buf); return 0; }
""",
    """const express = require('express');
const app = express();
app.use(express.json());

app.post('/todos', (req, res) => {
  const { title } = req.body;
  if (!title) return res.status(400).json({ error: 'title is required' });
  res.status(201).json({ id: Date.now(), title, done: false });
});

app.listen(3000);
""",
    """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          ports: [{containerPort: 8080}]
""",
    """fun fizzBuzz(n: Int): List<String> = (1..n).map {
    when {
        it % 15 == 0 -> "FizzBuzz"
        it % 3 == 0 -> "Fizz"
        it % 5 == 0 -> "Buzz"
        else -> it.toString()
    }
}
""",
    """<template>
  <ul class="todo-list">
    <li v-for="item in items" :key="item.id" :class="{ done: item.done }" @click="toggle(item)">
      {{ item.title }}
    </li>
  </ul>
</template>
""",
    """CREATE TABLE IF NOT EXISTS events (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('click', 'view', 'purchase')),
    payload JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_kind_created ON events (kind, created_at DESC);
""",
    """impl Display for Point {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.y)
    }
}
""",
    """type Cache[K comparable, V any] struct {
\tmu    sync.Mutex
\titems map[K]V
}

func (c *Cache[K, V]) Get(key K) (V, bool) {
\tc.mu.Lock()
\tdefer c.mu.Unlock()
\tv, ok := c.items[key]
\treturn v, ok
}
""",
    """.card {
  display: grid;
  grid-template-columns: 64px 1fr;
  gap: 12px;
  padding: 16px;
  border-radius: 8px;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12);
}
""",
]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安", "南京", "重庆"]
CITIES_EN = ["Beijing", "Shanghai", "London", "Berlin", "Toronto", "Sydney", "Mumbai", "Seoul",
             "Chicago", "Madrid"]
EUROPEAN = [  # Latin-script languages with diacritics
    "Le musée sera fermé lundi prochain pour des travaux de rénovation.",
    "Nous avons réservé une table pour quatre personnes à vingt heures.",
    "Die Bahn hat angekündigt, dass der Zug nach München zwanzig Minuten später fährt.",
    "Können Sie mir bitte sagen, wo die nächste Apotheke ist?",
    "El próximo año la empresa abrirá tres oficinas nuevas en América Latina.",
    "¿Podrías enviarme el informe antes del viernes? Gracias de antemano.",
    "A apresentação começa às nove horas na sala principal do edifício.",
    "Il treno per Firenze parte dal binario sette tra cinque minuti.",
    "Wij verwachten dat het project vóór het einde van het jaar klaar is.",
    "Zażółć gęślą jaźń – to zdanie zawiera wszystkie polskie znaki diakrytyczne.",
    "Ekonomi haberleri: merkez bankası faiz oranını yüzde kırk beşte sabit tuttu.",
    "Çok teşekkür ederim, yardımınız için minnettarım.",
    "Přijďte zítra v osm hodin, prosím, a vezměte s sebou občanský průkaz.",
]
