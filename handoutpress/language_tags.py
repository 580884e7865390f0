"""Language tags a handout may use (BCP 47): the language subtag must be a known one.

The codes are ISO 639's, as Debian's ``iso-codes`` package lists them (``iso_639-2.json``
and the living languages of ``iso_639-3.json``): the two-letter ISO 639-1 codes, and the
three-letter codes of languages that have none (BCP 47 uses the shortest code: ``es``, not
``spa``). Made from ``/usr/share/iso-codes/json`` (``alpha_2``; ``alpha_3`` of 639-2 and of
639-3 entries of ``type: L``, less those with an ``alpha_2``, ``mis``/``mul``/``und``/``zxx``
and the private ``qaa``-``qtz``); remake it that way if ISO 639 adds a language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .markdown import LANG_MARK, Span

#: ISO 639-1 (two letters)
TWO_LETTER = frozenset(
    (  # noqa: SIM905 (a word list; a list literal would be 670 lines)
        "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
        "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
        "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
        "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
        "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
        "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
        "yo za zh zu "
    ).split()
)

#: three-letter codes of languages without a two-letter code (ISO 639-2 and living ISO 639-3)
THREE_LETTER = frozenset(
    (  # noqa: SIM905
        "aaa aab aac aad aae aaf aag aah aai aak aal aan aao aap aas aat aau aaw aax aaz aba abb "
        "abc abd abe abf abg abh abi abl abm abn abo abp abq abr abs abt abu abv abw abx aby abz "
        "aca acb acd ace acf ach acm acn acp acq acr act acu acv acw acx acy acz ada adb add ade "
        "adf adg adh adi adj adl adn ado adq adr ads adt adu adw adx ady adz aeb aec aed aee aek "
        "ael aem aen aeq aer aeu aew aey aez afa afb afd afe afg afh afi afk afn afo afp afs aft "
        "afu afz agb agc agd age agf agg agh agi agj agk agl agm agn ago agq agr ags agt agu agv "
        "agw agx agy agz aha ahb ahg ahh ahi ahk ahl ahm ahn ahp ahr ahs aht aia aib aic aie aif "
        "aig aih aii aij aik ail aim ain aio aip aiq air aiw aix aiy aja ajg aji ajn ajp ajs aju "
        "ajz akb akc akd ake akf akg akh aki akk akl ako akp akq akr aks akt aku akv akw akz ala "
        "alc ald ale alf alg alh ali alj alk all alm aln alo alp alq alr als alt alu alw alx aly "
        "alz amb amc ame amf amg ami amj amk aml amm amn amo amp amq amr ams amt amu amv amw amx "
        "amy anc and ane anf ang anh ani anj ank anl anm ann ano anp anq anr ant anu anv anw anx "
        "any anz aoa aob aoc aod aoe aof aog aoi aoj aok aol aom aon aos aot aou aox aoz apa apb "
        "apc apd ape apf apg aph api apj apk apl apm apn apo app apq apr aps apt apu apw apx apy "
        "apz aqc aqd aqg aqk aqm aqn aqr aqt aqz arb arc are arh ari ark arl arn aro arp arq arr "
        "ars art arv arw arx ary arz asa asb asc ase asf asg asi asj ask asl asn aso asp asq asr "
        "ass ast asu asv asw asx asy asz ata atb atd ate atg ath ati atj atk atl atm atn ato atp "
        "atq atr ats att atu atv atw atx aty atz aua aub auc aud aug auh aui auj auk aul aum aun "
        "aup auq aur aus aut auu auw auy auz avb avd avi avl avn avt avu avv awa awb awc awe awh "
        "awi awm awn awo awr aws awt awu awv aww awx awy axk axx aya ayb ayc aye ayg ayh ayi ayk "
        "ayl ayn ayo ayp ayq ayr ays ayt ayu ayz aza azb azd azg azj azm azn azo azt azz baa bab "
        "bac bad baf bag bah bai baj bal ban bao bap bar bas bat bau bav baw bax bay bba bbb bbc "
        "bbd bbe bbf bbg bbh bbi bbj bbk bbl bbm bbn bbo bbp bbq bbr bbs bbt bbu bbv bbw bbx bby "
        "bca bcb bcc bcd bce bcf bcg bch bci bcj bck bcl bcm bcn bco bcp bcq bcr bcs bct bcu bcv "
        "bcw bcy bcz bda bdb bdc bdd bde bdf bdg bdh bdi bdj bdk bdl bdm bdn bdo bdp bdq bdr bds "
        "bdt bdu bdv bdw bdx bdy bdz bea beb bec bed bee bef beg beh bei bej bek bem beo bep beq "
        "ber bes bet beu bev bew bex bey bez bfa bfb bfc bfd bfe bff bfg bfh bfi bfj bfk bfl bfm "
        "bfn bfo bfp bfq bfr bfs bft bfu bfw bfx bfy bfz bga bgb bgc bgd bge bgf bgg bgi bgj bgk "
        "bgl bgn bgo bgp bgq bgr bgs bgt bgu bgv bgw bgx bgy bgz bha bhb bhc bhd bhe bhf bhg bhh "
        "bhi bhj bhl bhm bhn bho bhp bhq bhr bhs bht bhu bhv bhw bhx bhy bhz bia bib bid bie bif "
        "big bik bil bim bin bio bip biq bir bit biu biv biw bix biy biz bja bjc bje bjf bjg bjh "
        "bji bjj bjk bjl bjm bjn bjo bjp bjr bjs bjt bju bjv bjw bjx bjz bka bkc bkd bkf bkg bkh "
        "bki bkj bkk bkl bkm bkn bko bkp bkq bkr bks bkt bku bkv bkw bkx bky bkz bla blb blc bld "
        "ble blf blh bli blj blk blm bln blo blp blq blr bls blt blv blw blx bly blz bma bmb bmc "
        "bmd bme bmf bmg bmh bmi bmj bmk bml bmm bmo bmp bmq bmr bms bmt bmu bmv bmw bmx bmz bna "
        "bnb bnc bnd bne bnf bng bni bnj bnk bnl bnm bnn bno bnp bnq bnr bns bnt bnu bnv bnw bnx "
        "bny bnz boa bob boe bof bog boh boj bok bol bom bon boo bop boq bor bot bou bov box boy "
        "boz bpa bpc bpd bpe bpg bph bpi bpj bpk bpl bpm bpn bpo bpp bpq bpr bps bpu bpv bpw bpx "
        "bpy bpz bqa bqb bqc bqd bqg bqh bqi bqj bqk bql bqm bqn bqo bqp bqq bqr bqs bqt bqu bqv "
        "bqw bqx bqy bqz bra brb brd brf brg brh bri brj brl brm brn bro brp brq brr brs brt bru "
        "brv brw brx bry brz bsa bsb bsc bse bsf bsg bsh bsi bsj bsk bsm bsn bso bsp bsq bsr bss "
        "bst bsu bsw bsx bsy bta btc btd btf btg bth bti btj btk btm btn bto btp btq btr bts btt "
        "btu btv btw btx bty btz bua bub buc bud buf bug buh bui buj buk bum bun buo bup buq bus "
        "but buu buv buw bux buy buz bva bvb bvc bvd bve bvf bvg bvh bvi bvj bvk bvl bvm bvn bvo "
        "bvp bvq bvr bvt bvu bvw bvx bvy bvz bwa bwb bwc bwd bwe bwf bwg bwh bwi bwj bwk bwl bwm "
        "bwn bwo bwp bwq bwr bws bwt bwu bww bwx bwy bwz bxa bxb bxc bxd bxe bxf bxg bxh bxj bxk "
        "bxl bxm bxn bxo bxp bxq bxr bxs bxu bxv bxw bxz bya byb byc byd bye byf byh byi byj byk "
        "byl bym byn byo byp byr bys byv byw byx byz bza bzb bzc bzd bze bzf bzg bzh bzi bzj bzk "
        "bzl bzm bzn bzo bzp bzq bzs bzu bzv bzw bzx bzy bzz caa cab cac cad cae caf cag cah cai "
        "cak cal cam can cao cap caq car cas cau cav caw cax cay cbb cbc cbd cbg cbi cbj cbk cbl "
        "cbn cbo cbq cbr cbs cbt cbu cbv cbw cby ccc ccd cce ccg cch ccj ccl ccm cco ccp cda cde "
        "cdf cdh cdi cdj cdm cdn cdo cdr cds cdy cdz ceb ceg cek cel cen cet cey cfa cfd cfg cfm "
        "cga cgc cgg cgk chb chd chf chg chj chk chl chm chn cho chp chq chr chw chx chy chz cia "
        "cib cic cie cih cik cim cin cip cir ciw ciy cja cje cji cjk cjm cjn cjo cjp cjs cjv cjy "
        "ckb ckh ckl ckm ckn cko ckq ckr cks ckt cku ckv ckx cky ckz cla clc cld cle clh cli clj "
        "clk cll clm clo clt clu clw cly cma cmc cme cmi cml cmn cmo cmr cmt cna cnb cnc cng cnh "
        "cni cnk cnl cno cnp cnq cnr cns cnt cnu cnw coa coc cod coe cof cog coh cok col com con "
        "coo cop cot cou cov cox coz cpa cpb cpc cpe cpf cpi cpn cpo cpp cps cpu cpx cpy cqd cra "
        "crc crd crg crh cri crj crk crl crm crn cro crp crq crs crt crv crw crx cry csa csb csc "
        "csd cse csf csg csh csj csk csl csm csn cso csp csq csr cst csv csw csx csy csz cta ctd "
        "cte ctg cth ctl ctn cto ctp cts ctt ctu cty ctz cua cub cuc cuh cui cuj cuk cul cuq cur "
        "cus cut cuu cuv cuw cux cuy cvg cvn cwa cwb cwd cwe cwg cwt cya cyo czh czn czo czt daa "
        "dac dad dae dag dah dai daj dak dal dam dao daq dar das dau dav daw dax day daz dba dbb "
        "dbd dbe dbf dbg dbi dbj dbl dbm dbn dbo dbp dbq dbr dbt dbu dbv dbw dby dcc ddd dde ddg "
        "ddi ddj ddn ddo dds ddw dec ded dee def deg deh dei dek del dem den deq der des dev dez "
        "dga dgb dgc dgd dge dgg dgh dgi dgk dgl dgo dgr dgs dgx dgz dhd dhg dhi dhl dhm dhn dho "
        "dhr dhs dhv dhw dhx dia dib dic did dig dih dii dij dik dil dim din dio dip diq dir dis "
        "diu diw dix diy diz djb djc djd dje dji djj djk djm djn djo djr dju dka dkg dkk dkr dks "
        "dkx dlg dlk dln dma dmb dmc dme dmg dmk dml dmm dmo dmr dms dmu dmv dmw dmx dmy dna dnd "
        "dne dng dni dnj dnk dnn dno dnr dnt dnu dnv dnw dny doa dob doc doe dof doh doi dok dol "
        "don doo dop doq dor dos dot dov dow dox doy doz dpp dra drb drc drd dre drg dri drl drn "
        "dro drs drt dru dry dsb dse dsh dsi dsl dso dsq dsz dta dtb dtd dti dtk dtm dtn dto dtp "
        "dtr dts dtt dtu dty dua dub duc due duf dug duh dui duk dul dum dun duo dup duq dur dus "
        "duu duv duw dux dva dwa dwk dwr dwu dww dwy dwz dya dyi dym dyn dyo dyu dyy dza dzg dzl "
        "dzn ebc ebg ebk ebo ebr ebu ecs eee efa efe efi ega egl egm ego egy ehs ehu eip eit eiv "
        "eja eka eke ekg eki ekk ekl ekm eko ekp ekr eky ele elh elk elm elo elu elx ema emb eme "
        "emg emi emk emn emp emq ems emu emw emx emz ena enb enc end enf enh enl enm enn eno enq "
        "enr enu env enw enx eot epi era erg erh eri erk ero ers ert erw ese esg esh esi esk esl "
        "esn eso ess esu esy etb eth etn eto etr ets etu etx etz eve evh evn ewo ext eyo eza eze "
        "faa fab fad faf fag fah fai faj fak fal fam fan fap far fat fau fax fay faz fbl fcs fer "
        "ffi ffm fgr fia fie fif fil fip fir fit fiu fiw fkk fkv fla flh fli fll flr fly fmp fmu "
        "fnb fng fni fod foi fom fon for fpe fqs frc frd frm fro frp frq frr frs frt fse fsl fss "
        "fub fuc fud fue fuf fuh fui fuj fum fun fuq fur fut fuu fuv fuy fvr fwa fwe gaa gab gac "
        "gad gae gaf gag gah gai gaj gak gal gam gan gao gap gaq gar gas gat gau gaw gax gay gaz "
        "gba gbb gbd gbe gbf gbg gbh gbi gbj gbk gbl gbm gbn gbo gbp gbq gbr gbs gbu gbv gbw gbx "
        "gby gbz gcc gcf gcl gcn gcr gct gda gdb gdd gde gdf gdg gdh gdi gdj gdk gdl gdm gdn gdo "
        "gdq gdr gds gdu gdx gea geb gec ged gef geg geh gei gej gek gel gem geq ges gev gew gex "
        "gey gez gfk gga ggb gge ggg ggl ggt ggu ggw gha ghe ghh ghk ghl ghn ghr ghs ght gia gib "
        "gic gid gie gig gih gii gil gim gin gip giq gir gis git giu giw gix giy giz gjk gjn gjr "
        "gju gka gkd gke gkn gkp glb glc gld glh glj glk glo glr glu glw gmb gmd gmg gmh gmm gmn "
        "gmr gmu gmv gmx gmz gna gnb gnd gne gng gnh gni gnj gnk gnm gnn gno gnq gnt gnu gnw gnz "
        "goa gob goc god goe gof gog goh goi goj gok gol gom gon goo gop goq gor gos got gou gov "
        "gow gox goy goz gpa gpe gpn gqa gqi gqr gqu gra grb grc grd grg grh gri grj grm gro grq "
        "grr grs grt gru grv grw grx gry grz gse gsg gsl gsm gsn gso gsp gss gsw gta gua gub guc "
        "gud gue guf gug guh gui guk gul gum gun guo gup guq gur gus gut guu guw gux guz gva gvc "
        "gve gvf gvj gvl gvm gvn gvo gvp gvr gvs gwa gwb gwc gwd gwe gwf gwg gwi gwj gwn gwr gwt "
        "gww gwx gxx gya gyb gyd gye gyg gyi gyl gym gyn gyo gyr gyz gza gzi gzn haa hab hac had "
        "hae haf hag hah hai haj hak hal ham han hao hap haq har has hav haw hax hay haz hba hbb "
        "hbn hbu hca hch hdn hds hdy hea hed heg heh hei hem hgm hgw hhi hhr hhy hia hid hif hig "
        "hih hii hij hik hil him hio hir hit hiw hix hji hka hke hkh hkk hkn hks hla hlb hld hle "
        "hlt hma hmb hmc hmd hme hmf hmg hmh hmi hmj hml hmm hmn hmp hmq hmr hms hmt hmu hmv hmw "
        "hmy hmz hna hnd hne hng hnh hni hnj hnn hno hns hnu hoa hob hoc hoe hoh hoi hoj hol hoo "
        "hop hos hot hov how hoy hoz hps hra hrc hre hrk hrm hro hrt hru hrw hrx hrz hsb hsh hsl "
        "hsn hss hto hts htu hub huc hud hue huf hug huh hui huj hul hum huo hup huq hur hus hut "
        "huu huv hux huy huz hvc hve hvk hvn hvv hwa hwc hwo hya hyw iai ian iar iba ibb ibd ibe "
        "ibg ibh ibl ibm ibn ibr ibu iby ica ich icl icr ida idb idc idd ide idi idr ids idt idu "
        "ifa ifb ife ifk ifm ifu ify igb ige igg igl igm ign igo igw ihb ihi ihp ijc ije ijj ijn "
        "ijo ijs ike iki ikk ikl iko ikp iks ikt ikv ikw ikx ikz ila ilb ili ilk ilm ilo ilp ils "
        "ilu ilv ima imi imn imo imr imt inb inc ine ing inh inj inl inn ino inp ins int ior iou "
        "ipi ipo iqu iqw ira ire irh iri irk irn iro irr iru irx iry isa isc isd ise isg ish isi "
        "isk ism isn iso isr ist isu itb itd iti itk itl itm ito itr its itt itv itw itx ity itz "
        "ium ivb ivv iwk iwm iwo iws ixc ixl iya iyo iyx izh izr izz jaa jab jac jad jae jaf jah "
        "jaj jak jal jam jao jaq jas jat jau jax jay jaz jbe jbj jbk jbm jbn jbo jbr jbt jbu jcs "
        "jct jda jdg jdt jeb jee jeh jei jek jel jen jer jet jeu jge jgk jgo jhi jhs jia jib jic "
        "jid jie jig jih jii jil jim jio jiq jit jiu jiv jiy jje jjr jka jkm jko jkp jkr jks jku "
        "jle jls jma jmb jmc jmd jmi jml jmn jmr jms jmw jmx jna jnd jni jnj jnl jns job jod jog "
        "jos jow jpr jqr jra jrb jrr jrt jru jsl jua jub jud juh juk jul jum jun juo jup jur jus "
        "juu juw juy jvd jvn jwi jya jye jyy kaa kab kac kad kaf kag kah kai kaj kak kam kao kap "
        "kaq kar kav kaw kax kay kbc kbd kbe kbg kbh kbi kbj kbk kbl kbm kbn kbo kbp kbq kbr kbs "
        "kbt kbu kbv kbw kbx kby kbz kca kcb kcc kcd kce kcf kcg kch kci kcj kck kcl kcm kcn kco "
        "kcp kcq kcr kcs kct kcu kcv kcw kcx kcy kcz kdc kdd kde kdf kdg kdh kdi kdj kdk kdl kdm "
        "kdn kdp kdq kdr kdt kdu kdw kdx kdy kdz kea keb kec ked kee kef keg keh kei kej kek kel "
        "kem ken keo kep keq ker kes ket keu kev kew kex key kez kfa kfb kfc kfd kfe kff kfg kfh "
        "kfi kfj kfk kfl kfm kfn kfo kfp kfq kfr kfs kft kfu kfv kfw kfx kfy kfz kga kgb kge kgf "
        "kgg kgi kgj kgk kgn kgo kgp kgq kgr kgs kgt kgu kgv kgw kgx kgy kha khb khc khd khe khf "
        "khg khh khi khj khk khl khn kho khp khq khr khs kht khu khv khw khx khy khz kia kib kic "
        "kid kie kif kig kih kij kil kim kio kip kiq kis kit kiu kiv kiw kix kiy kiz kja kjb kjc "
        "kjd kje kjg kjh kji kjj kjk kjl kjm kjn kjo kjp kjq kjr kjs kjt kju kjx kjy kjz kka kkb "
        "kkc kkd kke kkf kkg kkh kki kkj kkk kkl kkm kkn kko kkp kkq kkr kks kkt kku kkv kkw kkx "
        "kky kkz klb klc kld kle klf klg klh kli klj klk kll klm kln klo klp klq klr kls klt klu "
        "klv klw klx kly klz kma kmb kmc kmd kme kmf kmg kmh kmi kmj kmk kml kmm kmn kmo kmp kmq "
        "kmr kms kmt kmu kmv kmw kmx kmy kmz kna knb knc knd kne knf kng kni knj knk knl knm knn "
        "kno knp knq knr kns knt knu knv knw knx kny knz koa kod koe kog koh koi kok kol koo kop "
        "koq kos kot kou kov kow koy koz kpa kpb kpc kpd kpe kpf kpg kph kpi kpj kpk kpl kpm kpo "
        "kpq kpr kps kpt kpu kpv kpw kpx kpy kpz kqa kqb kqc kqd kqe kqf kqg kqh kqi kqj kqk kql "
        "kqm kqn kqo kqp kqq kqr kqs kqt kqv kqw kqx kqy kra krc krd kre krf krh kri krj krl krn "
        "kro krp krr krs krt kru krv krw krx kry krz ksa ksb ksc ksd kse ksf ksg ksh ksi ksj ksk "
        "ksl ksm ksn kso ksp ksq ksr kss kst ksu ksv ksw ksx ksy ksz kta ktb ktc ktd kte ktf kth "
        "kti ktj ktl ktm ktn kto ktp kts ktt ktu ktv ktx kty ktz kub kuc kud kue kuf kug kuh kui "
        "kuj kuk kul kum kun kuo kup kuq kus kut kuu kuv kuw kux kuy kva kvb kvc kvd kve kvf kvg "
        "kvh kvi kvj kvk kvl kvm kvn kvo kvp kvq kvr kvt kvu kvv kvw kvx kvy kvz kwa kwb kwc kwd "
        "kwe kwf kwg kwh kwi kwj kwk kwl kwm kwn kwo kwp kwr kws kwt kwu kwv kww kwx kwy kxa kxb "
        "kxc kxd kxf kxh kxi kxj kxk kxm kxn kxp kxq kxr kxs kxt kxv kxw kxx kxy kxz kya kyb kyc "
        "kyd kye kyf kyg kyh kyi kyj kyk kyl kym kyn kyo kyp kyq kyr kys kyt kyu kyv kyw kyx kyy "
        "kyz kza kzb kzc kzd kze kzf kzg kzi kzl kzm kzn kzo kzp kzq kzr kzs kzu kzv kzy kzz laa "
        "lac lad lae laf lag lah lai laj lal lam lan lap laq lar las lau law lax lay lbb lbc lbe "
        "lbf lbg lbi lbj lbk lbl lbm lbn lbo lbq lbr lbs lbt lbu lbv lbw lbx lbz lcc lcd lce lcf "
        "lch lcl lcm lcp lcq lcs lda ldb ldd ldg ldh ldi ldj ldk ldl ldm ldo ldp ldq lea leb lec "
        "led lee lef leh lei lej lek lel lem leo lep leq ler les let leu lev lew lex ley lez lfa "
        "lga lgb lgg lgh lgi lgk lgl lgm lgn lgo lgq lgr lgt lgu lgz lha lhh lhi lhl lhm lhn lhp "
        "lht lhu lia lib lic lid lie lif lig lih lij lik lil lio lip liq lir lis liu liv liw lix "
        "liy liz lje lji ljl ljp ljw lka lkb lkc lkd lke lkh lki lkj lkl lkn lko lkr lks lkt lky "
        "lla llb llc lld lle llg llh lli lll llm lln llp llq lls llu llx lma lmb lmd lme lmf lmg "
        "lmh lmi lmj lmk lml lmn lmo lmp lmq lmr lmu lmv lmw lmx lmy lna lnb lnd lnh lni lnl lnm "
        "lnn lns lnu lnz loa lob loc loe lof log loh loi loj lok lol lom lon loo lop loq lor los "
        "lot lou lov low lox loy loz lpa lpe lpn lpo lpx lqr lra lrc lri lrk lrl lrm lrn lro lrr "
        "lrt lrv lrz lsa lsb lsc lsd lse lsh lsi lsl lsm lsn lso lsp lsr lss lst lsv lsw lsy ltg "
        "lth lti ltn lto lts ltu lua luc lud lue luf lui luj luk lul lum lun luo lup luq lur lus "
        "lut luu luv luw luy luz lva lvi lvk lvs lvu lwa lwe lwg lwh lwl lwm lwo lws lwt lwu lww "
        "lxm lya lyg lyn lzl lzn lzz maa mab mad mae maf mag mai maj mak mam man map maq mas mat "
        "mau mav maw max maz mba mbb mbc mbd mbf mbh mbi mbj mbk mbl mbm mbn mbo mbp mbq mbr mbs "
        "mbt mbu mbv mbw mbx mby mbz mca mcb mcc mcd mce mcf mcg mch mci mcj mck mcm mcn mco mcp "
        "mcq mcr mcs mct mcu mcv mcw mcx mcy mcz mda mdb mdc mdd mde mdf mdg mdh mdi mdj mdk mdl "
        "mdm mdn mdp mdq mdr mds mdt mdu mdv mdw mdx mdy mdz mea meb mec med mee mef meh mei mej "
        "mek mel men meo mep meq mer mes met meu mev mew mey mez mfa mfb mfc mfd mfe mff mfg mfh "
        "mfi mfj mfk mfl mfm mfn mfo mfp mfq mfr mfs mft mfu mfv mfx mfy mfz mga mgb mgc mgd mge "
        "mgf mgg mgh mgi mgj mgk mgl mgm mgn mgo mgp mgq mgr mgs mgt mgu mgv mgw mgy mgz mha mhb "
        "mhc mhd mhe mhf mhg mhi mhj mhk mhl mhm mhn mho mhp mhq mhr mhs mht mhu mhw mhx mhy mhz "
        "mia mib mic mid mie mif mig mih mii mij mik mil mim min mio mip miq mir mit miu miw mix "
        "miy miz mjb mjc mjd mjg mjh mji mjj mjk mjl mjm mjn mjo mjp mjr mjs mjt mju mjv mjw mjx "
        "mjz mka mkb mkc mke mkf mkg mkh mki mkj mkk mkl mkm mkn mko mkp mkr mks mkt mku mkv mkw "
        "mkx mky mkz mla mlb mlc mle mlf mlh mli mlj mlk mll mlm mln mlo mlp mlq mlr mls mlu mlv "
        "mlw mlx mlz mma mmb mmc mmd mme mmf mmg mmh mmi mmj mmk mml mmm mmn mmo mmp mmq mmr mmt "
        "mmu mmw mmx mmy mmz mna mnb mnc mnd mne mnf mng mnh mni mnj mnk mnl mnm mnn mno mnp mnq "
        "mnr mns mnu mnv mnw mnx mny mnz moa moc moe mog moh moi moj mok moo mop moq mor mos mot "
        "mou mov mow mox moy moz mpa mpb mpc mpd mpe mpg mph mpi mpj mpk mpl mpm mpn mpo mpp mpq "
        "mpr mps mpt mpu mpv mpw mpx mpy mpz mqa mqb mqc mqe mqf mqg mqh mqi mqj mqk mql mqm mqn "
        "mqo mqp mqq mqr mqs mqt mqu mqv mqw mqx mqy mqz mra mrb mrc mrd mrf mrg mrh mrj mrk mrl "
        "mrm mrn mro mrp mrq mrr mrs mrt mru mrv mrw mrx mry mrz msb msc msd mse msf msg msh msi "
        "msj msk msl msm msn mso msq msr mss msu msv msw msx msy msz mta mtb mtc mtd mte mtf mtg "
        "mth mti mtj mtk mtl mto mtp mtq mtr mts mtt mtu mtv mtw mtx mty mua mub muc mud mue mug "
        "muh mui muj muk mum mun muo mup muq mur mus mut muu muv mux muy muz mva mvd mve mvf mvg "
        "mvh mvi mvk mvn mvo mvp mvq mvr mvs mvt mvu mvv mvw mvx mvy mvz mwa mwb mwc mwe mwf mwg "
        "mwh mwi mwk mwl mwm mwn mwo mwp mwq mwr mws mwt mwv mww mwz mxa mxb mxc mxd mxe mxf mxg "
        "mxh mxj mxk mxl mxm mxn mxo mxp mxq mxr mxs mxt mxu mxv mxw mxx mxy mxz myb myc mye myf "
        "myg myh myj myk myl mym myn myo myp myr myu myv myw myx myy mza mzb mzc mzd mze mzg mzh "
        "mzi mzj mzk mzl mzm mzn mzp mzq mzr mzs mzt mzu mzv mzw mzx mzy mzz naa nab nac naf nag "
        "nah nai naj nak nal nam nan nao nap naq nar nas nat naw nax naz nba nbb nbc nbd nbe nbg "
        "nbh nbi nbj nbk nbm nbn nbo nbp nbq nbr nbs nbt nbu nbv nbw nby nca ncb ncc ncd nce ncf "
        "ncg nch ncj nck ncl ncm ncn nco ncq ncr ncs nct ncu ncx nda ndb ndc ndd ndg ndh ndi ndj "
        "ndk ndl ndm ndn ndp ndq ndr nds ndt ndu ndv ndw ndx ndy ndz nea neb nec ned nee nef neg "
        "neh nej nek nem nen neo neq ner nes net nev new nex ney nez nfa nfd nfl nfr nfu nga ngb "
        "ngc ngd nge ngg ngh ngi ngj ngk ngl ngm ngn ngp ngq ngr ngs ngt ngu ngw ngx ngy ngz nha "
        "nhb nhd nhe nhf nhg nhh nhi nhk nhm nhn nho nhp nhq nhr nht nhu nhv nhw nhx nhy nhz nia "
        "nib nic nie nif nih nii nij nik nil nim nin nio niq nir nis nit niu niv niw nix niy niz "
        "nja njb njd njh nji njj njl njm njn njo njr njs njt nju njx njy njz nka nkb nkc nkd nke "
        "nkf nkg nkh nki nkj nkk nkm nkn nko nkq nkr nks nkt nku nkv nkw nkx nkz nla nlc nle nlg "
        "nli nlj nlk nll nlm nlo nlq nlu nlv nlx nly nlz nma nmb nmc nmd nme nmf nmg nmh nmi nmj "
        "nmk nml nmm nmn nmo nmq nms nmt nmu nmw nmx nmy nmz nna nnb nnc nnd nne nnf nng nnh nni "
        "nnj nnk nnl nnm nnn nnp nnq nnu nnw nnz noa noc nod noe nof nog noh noi noj non nop noq "
        "nos not nou now noy noz npa npb npg nph npi npl npn npo nps npu npx npy nqg nqk nql nqm "
        "nqn nqo nqq nqt nqy nra nrb nre nrf nrg nri nrk nrl nrm nru nrz nsa nsc nsd nse nsf nsg "
        "nsh nsi nsk nsl nsm nsn nso nsp nsq nsr nss nst nsu nsv nsw nsx nsy nsz ntd nte nti ntj "
        "ntk ntm nto ntp ntr ntu ntx nty ntz nua nub nud nue nuf nuh nui nuj nuk num nun nuo nup "
        "nuq nur nus nut nuu nuv nuw nux nuy nuz nvh nvm nvo nwb nwc nwe nwi nwm nwr nww nxa nxd "
        "nxe nxg nxi nxk nxl nxo nxq nxr nxx nyb nyc nyd nye nyf nyg nyh nyi nyj nyk nyl nym nyn "
        "nyo nyq nyr nys nyu nyw nyy nza nzb nzd nzi nzk nzm nzs nzu nzy nzz oaa oac obk obl obo "
        "obu oca ocu oda odk odu ofu ogb ogc ogg ogo ogu oia oie oin ojb ojc ojg ojs ojv ojw oka "
        "okb okc okd oke okh oki okk okn okr oks oku okv okx ola old ole olm olo olr olu oma omb "
        "omg omi oml omo omt omw ona onb one ong oni onj onk onn ono onp onr ons ont onu onx ood "
        "oog oon oor opa opk opm opo opy ora orc ore org orh orn oro orr ors ort oru orw orx ory "
        "orz osa osi oso ost osu ota otd ote otl otm otn oto otq otr ots ott otw otx otz oua oub "
        "oue ovd owi oyb oyd oym oyy ozm paa pab pac pad pae pag pah pai pak pal pam pao pap paq "
        "par pas pau pav paw pay pbb pbc pbe pbf pbh pbi pbl pbm pbn pbo pbp pbr pbs pbt pbu pbv "
        "pby pca pcb pcc pcd pce pcf pcg pch pci pcj pck pcl pcm pcn pcp pcw pda pdc pdi pdn pdo "
        "pdt pdu pea ped pee peg peh pei pek pel pem peo pep peq pes pev pex pey pez pfa pfe pfl "
        "pga pgg pgi pgk pgs pgu pgz pha phd phg phh phi phj phk phl phm phn pho phq phr pht phu "
        "phv phw pia pib pic pid pif pig pih pil pin pio pip pir pis piu piv piw pix piy piz pjt "
        "pkb pkg pkh pkn pko pkp pkr pks pkt pku pla plb plc pld ple plg plh plj plk pll pln plo "
        "plr pls plt plu plv plw ply plz pma pmb pme pmf pmi pmj pmm pmn pmo pmq pmr pms pmt pmw "
        "pmx pmy pna pnb pnc pnd pne png pnh pni pnk pnl pnm pnn pnp pnq pnr pns pnt pnu pnv pnw "
        "pnx pny pnz poc poe pof poh poi pok pom pon pop poq pos pot pov pow poy ppe ppi ppk ppl "
        "ppm ppn ppo ppp ppq pps ppt pqa pqm pra prc prd pre prf prg prh pri prk prl prm prn pro "
        "prp prq prs prt pru prw prx prz psa psc psd pse psg psh psi psl psn pso psp psq psr pss "
        "pst psw pta pti ptn pto ptp ptq ptr ptt ptu ptv pty pua pub puc pud puf pug pui puj pum "
        "puo pup pur put puu puw pux pwa pwb pwg pwm pwn pwo pwr pww pxm pye pym pyn pys pyu pyy "
        "pzh pzn qua qub quc qud quf qug quh qui quk qul qum qup quq qur qus quv quw qux quy quz "
        "qva qvc qve qvh qvi qvj qvl qvm qvn qvo qvp qvs qvw qvy qvz qwa qwh qws qxa qxc qxh qxl "
        "qxn qxo qxp qxq qxr qxs qxt qxu qxw raa rab rac rad raf rag rah rai raj rak ral ram ran "
        "rao rap raq rar ras rat rau rav raw rax ray raz rbb rbk rbl rcf rdb rea reb ree reg rei "
        "rej rel ren res ret rey rga rge rgn rgr rgs rgu rhg rhp ria rib rif ril rim rin rir rit "
        "riu rjg rji rjs rka rkb rkh rki rkm rkt rma rmb rmc rme rmf rmg rmh rmi rmk rml rmm rmn "
        "rmo rmp rmq rms rmt rmu rmw rmx rmy rmz rnb rnd rng rnl rnn rnp rnw roa rob roc rod roe "
        "rof rog rol rom roo rop ror rou row rpn rpt rri rro rsb rsk rsl rsm rsn rtc rth rtm rtw "
        "rub ruc rue ruf rug ruh rui ruk ruo rup ruq rut ruu ruy ruz rwa rwk rwl rwm rwo rwr rxd "
        "ryn rys ryu rzh saa sab sac sad sae saf sah sai saj sak sal sam sao saq sas sat sau sav "
        "saw sax say saz sba sbb sbc sbd sbe sbf sbg sbh sbi sbj sbk sbl sbm sbn sbo sbp sbq sbr "
        "sbs sbt sbu sbw sbx sby sbz scb sce scf scg sch sci sck scl scn sco scp scq scs sct scu "
        "scv scw sda sdb sdc sde sdf sdg sdh sdj sdk sdl sdn sdo sdp sdq sdr sdu sdx sdz sea seb "
        "sec sed see sef seg seh sei sej sek sel sem sen seo sep seq ser ses set seu sev sew sey "
        "sez sfb sfe sfm sfs sfw sga sgb sgc sgd sge sgg sgh sgi sgj sgk sgn sgp sgr sgs sgt sgu "
        "sgw sgx sgy sgz sha shb shc shd she shg shh shi shj shk shl shm shn sho shp shq shr shs "
        "shu shv shw shx shy shz sib sid sie sif sig sih sii sij sik sil sim sio sip siq sir sit "
        "siu siv siw six siy siz sja sjb sjd sje sjg sjl sjm sjo sjp sjr sjt sju sjw ska skb skc "
        "skd ske skf skg skh ski skj skm skn sko skp skq skr sks skt sku skv skx sky skz sla slc "
        "sld sle slf slg slh sli slj sll slm slp slr sls slt slu slw slx sly slz sma smb smf smg "
        "smh smi smj smk sml smm smn smq smr sms smt smv smw smx smy smz snc sne snf sng snj snk "
        "snl snm snn sno snp snq snr sns snu snv snw snx sny snz soa sob soc sod soe sog soh soi "
        "soj sok sol son soo sop soq sor sos sou sov sow sox soy soz spb spc spd spe spg spi spk "
        "spl spm spn spo spp spq spr sps spt spu spv spy sqa sqh sqk sqm sqo sqq sqs sqt squ sqx "
        "sra srb src sre srf srg srh sri srk srl srm srn sro srq srr srs srt sru srv srw srx sry "
        "srz ssa ssb ssc ssd sse ssf ssg ssh ssi ssj ssk ssl ssm ssn sso ssp ssq ssr sss sst ssu "
        "ssv ssx ssy ssz sta stb std ste stf stg sth sti stj stk stl stm stn sto stp stq str sts "
        "stt stu stv stw sty sua sub suc sue sug sui suj suk suo suq sur sus suv suw sux suy suz "
        "sva svb svc sve svk svm svs swb swc swf swg swh swi swj swk swl swm swn swo swp swq swr "
        "sws swt swu swv swx swy sxb sxe sxg sxm sxn sxr sxs sxu sxw sya syb syc syi syk syl sym "
        "syn syo syr sys syw syx syy sza szb szc sze szg szl szn szp szs szv szw szy taa tab tac "
        "tad tae taf tag tai taj tak tal tan tao tap taq tar tau tav taw tax tay taz tba tbc tbd "
        "tbe tbf tbg tbi tbj tbk tbl tbm tbn tbo tbp tbr tbs tbt tbv tbw tbx tby tbz tca tcb tcc "
        "tcd tce tcf tcg tch tci tck tcm tcn tco tcp tcq tcs tct tcu tcw tcx tcy tcz tda tdb tdc "
        "tdd tde tdf tdg tdh tdi tdj tdk tdl tdm tdn tdo tdq tdr tds tdt tdv tdx tdy tea tec ted "
        "tee tef teg teh tei tek tem teo teq ter tes tet teu tev tew tex tey tez tfi tfn tfo tfr "
        "tft tga tgb tgc tgd tge tgf tgh tgi tgj tgn tgo tgp tgq tgr tgs tgt tgu tgw tgx thd the "
        "thf thh thi thk thl thm thn thp thq thr ths tht thu thv thy thz tia tic tif tig tih tii "
        "tij tik tim tin tio tip tiq tis tit tiu tiv tiw tix tiy tiz tja tjg tji tjj tjl tjo tjp "
        "tjs tjw tkb tkd tke tkg tkl tkn tkp tkq tkr tks tkt tku tkv tkw tkx tkz tla tlb tlc tld "
        "tlf tlg tlh tli tlj tlk tll tlm tln tlo tlp tlq tlr tls tlt tlu tlv tlx tly tma tmb tmc "
        "tmd tmf tmh tmi tmj tmk tml tmm tmn tmo tmq tms tmt tmu tmv tmw tmy tna tnb tnc tnd tng "
        "tnh tni tnk tnl tnm tnn tno tnp tnr tns tnt tnu tnv tnw tnx tny tnz tob toc tod tof tog "
        "toh toi toj tom too top toq tor tos tou tov tow tox toy toz tpa tpc tpe tpf tpg tpi tpj "
        "tpl tpm tpo tpp tpq tpr tpt tpu tpv tpx tpy tpz tqb tql tqm tqn tqo tqp tqq tqt tqu tra "
        "trb trc trd tre trf trg trh tri trj trl trm trn tro trp trq trr trs trt tru trv trw trx "
        "tsa tsb tsc tsd tse tsg tsh tsi tsj tsk tsl tsm tsp tsq tsr tss tst tsu tsv tsw tsx tsy "
        "tsz ttb ttc ttd tte ttf ttg tth tti ttj ttk ttl ttm ttn tto ttp ttq ttr tts ttt ttu ttv "
        "ttw tty ttz tua tuc tue tuf tug tuh tui tuj tul tum tun tuo tup tuq tus tut tuu tuv tuy "
        "tuz tva tvd tve tvk tvl tvm tvn tvo tvs tvt tvu tvw twb twd twe twf twg twh twl twm twn "
        "two twp twq twr twu tww twx twy txa txe txi txj txm txn txo txq txs txt txu txx txy tya "
        "tye tyh tyi tyj tyl tyn tyr tys tyt tyu tyv tyx tyy tyz tza tzh tzj tzm tzn tzo tzx uan "
        "uar uba ubi ubl ubr ubu uda ude udg udi udj udl udm udu ues ufi uga uge ugh ugn ugo ugy "
        "uha uhn uis uiv uji uka ukg ukh uki ukk ukl ukp ukq uks uku ukv ukw ula ulb ulc ulf uli "
        "ulk ull ulm uln ulu ulw uma umb umi umm umn ump ums umu una une ung uni unk unn unr unu "
        "unx unz upi upv ura urb ure urg urh uri urk url urm urn uro urp urr urt urw urx ury urz "
        "usa ush usi usk usp uss usu uta ute uth utp utr utu uum uur uuu uve uvh uvl uwa uya uzn "
        "uzs vaa vae vaf vag vah vai vaj val vam van vao vap var vas vau vav vay vbb vbk vec ved "
        "vel vem vep ver vgr vgt vic vid vif vig vil vin vis vit viv vkj vkk vkl vkn vko vkp vkt "
        "vku vkz vlp vls vma vmc vmd vme vmf vmg vmh vmj vmk vmm vmp vmq vmr vmw vmx vmy vmz vnk "
        "vnm vnp vor vot vra vro vrs vrt vsi vsl vsv vto vum vun vut vwa waa wab wad wae wag wah "
        "wai waj wak wal wan wap waq war was wat wau wav waw wax way waz wba wbb wbe wbf wbh wbi "
        "wbj wbk wbl wbm wbp wbq wbr wbs wbt wbv wbw wca wci wdd wdg wdj wdt wec wed weg weh wei "
        "wem wen weo wep wer wes wet weu wew wfg wgb wgi wgo wgy wha whg whk whu wib wig wih wii "
        "wij wik wim win wiu wiv wja wji wkb wkd wkl wkr wku wla wlc wle wlg wlh wli wll wlo wlr "
        "wls wlv wlw wlx wmb wmc wmd wme wmg wmh wmm wmo wms wmt wmw wmx wnb wnc wne wng wni wnk "
        "wno wnp wnu wnw wny woa wob woc wod woe wof wog woi wok wom won woo wor wos wow wpc wrk "
        "wrl wrm wrn wrp wrr wrs wru wrv wrx wry wsa wsg wsi wsk wsr wss wtf wti wtk wtm wtw wua "
        "wub wud wuh wul wum wun wut wuu wuv wux wuy wwa wwo www wxa wyb wym wyn wyr wyy xab xac "
        "xal xan xao xat xau xav xaw xay xbi xbr xby xda xdo xdq xdy xed xel xem xer xes xet xeu "
        "xgu xhe xhv xii xis xiy xka xkb xkc xkd xke xkf xkg xki xkj xkk xkl xkn xko xkp xkq xks "
        "xkt xku xkv xkw xkx xky xkz xla xma xmb xmc xmd xmf xmg xmh xmj xml xmm xmo xms xmt xmv "
        "xmw xmx xmy xmz xnb xnh xnj xnn xnq xnr xns xny xnz xod xog xoi xok xom xon xop xor xow "
        "xpe xpk xra xrb xre xri xru xrw xsb xse xsh xsi xsj xsl xsm xsn xsp xsq xsr xsu xsy xta "
        "xtb xtc xtd xte xti xtj xtl xtm xtn xtp xts xtt xtu xtw xty xua xub xug xuj xuo xuu xvi "
        "xwa xwe xwg xwl xwr xxk xyy yaa yab yac yad yae yaf yag yah yai yaj yak yal yam yan yao "
        "yap yaq yar yas yat yau yav yaw yax yay yaz yba ybb ybe ybh ybi ybj ybk ybl ybm ybo ybx "
        "yby ych ycl ycn ycp ydd yde ydg ydk yea yec yee yej yel yer yes yet yeu yev yey ygl ygm "
        "ygp ygr ygs ygu ygw yha yhd yhl yhs yia yif yig yii yij yik yim yin yip yiq yir yis yit "
        "yiu yiv yix yiz yka ykg yki ykk ykl ykm ykn yko ykr ykt yku yky yla ylb yle ylg yli yll "
        "ylm yln ylo ylu yly ymb ymc ymd ymg ymh ymi ymk yml ymm ymn ymo ymp ymq ymr ymx ymz yna "
        "yne yng ynk ynl yno ynq yns yog yoi yok yom yon yot yox yoy ypa ypb ypg yph ypk ypm ypn "
        "ypo ypp ypz yra yrb yre yrk yrl yrm yrn yro yrs yrw yry ysd ysg ysl ysm ysn yso ysp yss "
        "ysy yta ytl ytp ytw yua yuc yud yue yuf yui yuj yul yum yun yup yuq yut yuw yux yuy yuz "
        "yva ywa ywg ywl ywn ywq ywr ywt ywu yyu yyz yzg yzk zaa zab zac zad zae zaf zag zah zai "
        "zaj zak zal zam zao zap zaq zar zas zat zau zav zaw zax zay zaz zbc zbe zbl zbt zbu zbw "
        "zca zcd zch zdj zea zeg zeh zen zga zgb zgh zgm zgn zgr zhb zhd zhi zhn zhw zia zib zik "
        "zil zim zin ziw ziz zka zkd zkn zkr zku zla zlj zlm zln zlq zma zmb zmd zmf zmg zmi zmj "
        "zmm zmn zmo zmp zmq zmr zms zmt zmw zmx zmy zmz zna znd zne zng zns zoc zoh zom zoo zoq "
        "zor zos zpa zpb zpc zpd zpe zpf zpg zph zpi zpj zpk zpl zpm zpn zpo zpp zpq zpr zps zpt "
        "zpu zpv zpw zpx zpy zpz zqe zrg zrn zro zrs zsa zsl zsm zsr zsu zte ztg ztl ztm ztn ztp "
        "ztq zts ztt ztu ztx zty zua zuh zum zun zuy zwa zyb zyg zyj zyn zyp zza zzj "
    ).split()
)

#: three-letter codes BCP 47 writes with two letters instead (``spa`` → ``es``)
SHORTER = {
    "aar": "aa",
    "abk": "ab",
    "afr": "af",
    "aka": "ak",
    "alb": "sq",
    "amh": "am",
    "ara": "ar",
    "arg": "an",
    "arm": "hy",
    "asm": "as",
    "ava": "av",
    "ave": "ae",
    "aym": "ay",
    "aze": "az",
    "bak": "ba",
    "bam": "bm",
    "baq": "eu",
    "bel": "be",
    "ben": "bn",
    "bih": "bh",
    "bis": "bi",
    "bod": "bo",
    "bos": "bs",
    "bre": "br",
    "bul": "bg",
    "bur": "my",
    "cat": "ca",
    "ces": "cs",
    "cha": "ch",
    "che": "ce",
    "chi": "zh",
    "chu": "cu",
    "chv": "cv",
    "cor": "kw",
    "cos": "co",
    "cre": "cr",
    "cym": "cy",
    "cze": "cs",
    "dan": "da",
    "deu": "de",
    "div": "dv",
    "dut": "nl",
    "dzo": "dz",
    "ell": "el",
    "eng": "en",
    "epo": "eo",
    "est": "et",
    "eus": "eu",
    "ewe": "ee",
    "fao": "fo",
    "fas": "fa",
    "fij": "fj",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "fry": "fy",
    "ful": "ff",
    "geo": "ka",
    "ger": "de",
    "gla": "gd",
    "gle": "ga",
    "glg": "gl",
    "glv": "gv",
    "gre": "el",
    "grn": "gn",
    "guj": "gu",
    "hat": "ht",
    "hau": "ha",
    "hbs": "sh",
    "heb": "he",
    "her": "hz",
    "hin": "hi",
    "hmo": "ho",
    "hrv": "hr",
    "hun": "hu",
    "hye": "hy",
    "ibo": "ig",
    "ice": "is",
    "ido": "io",
    "iii": "ii",
    "iku": "iu",
    "ile": "ie",
    "ina": "ia",
    "ind": "id",
    "ipk": "ik",
    "isl": "is",
    "ita": "it",
    "jav": "jv",
    "jpn": "ja",
    "kal": "kl",
    "kan": "kn",
    "kas": "ks",
    "kat": "ka",
    "kau": "kr",
    "kaz": "kk",
    "khm": "km",
    "kik": "ki",
    "kin": "rw",
    "kir": "ky",
    "kom": "kv",
    "kon": "kg",
    "kor": "ko",
    "kua": "kj",
    "kur": "ku",
    "lao": "lo",
    "lat": "la",
    "lav": "lv",
    "lim": "li",
    "lin": "ln",
    "lit": "lt",
    "ltz": "lb",
    "lub": "lu",
    "lug": "lg",
    "mac": "mk",
    "mah": "mh",
    "mal": "ml",
    "mao": "mi",
    "mar": "mr",
    "may": "ms",
    "mkd": "mk",
    "mlg": "mg",
    "mlt": "mt",
    "mon": "mn",
    "mri": "mi",
    "msa": "ms",
    "mya": "my",
    "nau": "na",
    "nav": "nv",
    "nbl": "nr",
    "nde": "nd",
    "ndo": "ng",
    "nep": "ne",
    "nld": "nl",
    "nno": "nn",
    "nob": "nb",
    "nor": "no",
    "nya": "ny",
    "oci": "oc",
    "oji": "oj",
    "ori": "or",
    "orm": "om",
    "oss": "os",
    "pan": "pa",
    "per": "fa",
    "pli": "pi",
    "pol": "pl",
    "por": "pt",
    "pus": "ps",
    "que": "qu",
    "roh": "rm",
    "ron": "ro",
    "rum": "ro",
    "run": "rn",
    "rus": "ru",
    "sag": "sg",
    "san": "sa",
    "sin": "si",
    "slk": "sk",
    "slo": "sk",
    "slv": "sl",
    "sme": "se",
    "smo": "sm",
    "sna": "sn",
    "snd": "sd",
    "som": "so",
    "sot": "st",
    "spa": "es",
    "sqi": "sq",
    "srd": "sc",
    "srp": "sr",
    "ssw": "ss",
    "sun": "su",
    "swa": "sw",
    "swe": "sv",
    "tah": "ty",
    "tam": "ta",
    "tat": "tt",
    "tel": "te",
    "tgk": "tg",
    "tgl": "tl",
    "tha": "th",
    "tib": "bo",
    "tir": "ti",
    "ton": "to",
    "tsn": "tn",
    "tso": "ts",
    "tuk": "tk",
    "tur": "tr",
    "twi": "tw",
    "uig": "ug",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
    "ven": "ve",
    "vie": "vi",
    "vol": "vo",
    "wel": "cy",
    "wln": "wa",
    "wol": "wo",
    "xho": "xh",
    "yid": "yi",
    "yor": "yo",
    "zha": "za",
    "zho": "zh",
    "zul": "zu",
}

_SHAPE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def language_problem(tag: str) -> str | None:
    """Why ``tag`` is not a language tag to write as a PDF's ``/Lang`` (None: it is one)."""
    if not tag:
        return "the language tag is empty (for example {lang=es})"
    if not _SHAPE.fullmatch(tag):
        return f"'{tag}' is not a language tag such as es, en-US or zh-Hant"
    primary = tag.split("-")[0].lower()
    if primary in SHORTER:
        return f"'{tag}': write the language as '{SHORTER[primary]}' (the shorter ISO 639 code)"
    if primary not in TWO_LETTER and primary not in THREE_LETTER:
        return f"'{tag}': '{primary}' is not a language code of ISO 639 (such as es, fr, vi)"
    return None


#: ``{lang=``, ``{ lang =``, ``{lang:``: what a mark for words in another language starts with
_NEAR = re.compile(r"\{\s*lang\s*[=:]")


def span_problems(spans: Iterable[Span], source: str) -> list[tuple[str, str]]:
    """(mark as written, message) for each language tag of ``spans`` that is not one, and
    for each ``{lang=…}`` in ``source`` (the text as written) that Markdown would print as
    typed: not right after the closing bracket, or with spaces in it."""
    out: list[tuple[str, str]] = []
    for span in spans:
        if span.lang is not None:
            problem = language_problem(span.lang)
            if problem is not None:
                out.append((f"{{lang={span.lang}}}", problem))
    for m in _NEAR.finditer(source):
        exact = LANG_MARK.match(source, m.start())
        if exact is not None and source[m.start() - 1 : m.start()] == "]":
            continue
        mark = exact.group(0) if exact else m.group(0)
        out.append(
            (
                mark,
                "words in another language are written [texto]{lang=es}: the language mark "
                "right after the closing bracket, with no spaces",
            )
        )
    return list(dict.fromkeys(out))
